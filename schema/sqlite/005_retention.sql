-- Retention (notify.retention_days): the purge finds final outbox rows by state and age through
-- this index, which also serves the per-state count of /metrics, so it replaces ix_outbox_state.
-- Read events are found by ix_events_unread (read_at first).
CREATE INDEX ix_outbox_state_updated ON outbox(state, updated_at);
DROP INDEX ix_outbox_state;
