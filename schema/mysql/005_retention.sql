-- Retention (notify.retention_days): the purge finds final outbox rows by state and age through
-- this index, which also serves the per-state count of /metrics, so it replaces ix_outbox_state.
-- Read events are found by ix_events_unread (read_at first).
-- Two statements: some MySQL-compatible databases take one schema change per ALTER.
ALTER TABLE outbox ADD KEY ix_outbox_state_updated (state, updated_at);
ALTER TABLE outbox DROP KEY ix_outbox_state;
