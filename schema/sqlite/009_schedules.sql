-- User-set reminders (/v1/schedules, docs/schedules.md). Times are Unix milliseconds.
-- next_fire_at is set only while a schedule is active: the engine finds due schedules through
-- ix_schedules_due, and the /metrics count by state reads ix_schedules_state.
CREATE TABLE schedules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  unionid TEXT NOT NULL,
  cron TEXT NOT NULL DEFAULT '',
  at_ms INTEGER,
  timezone TEXT NOT NULL DEFAULT '',
  template TEXT NOT NULL,
  params TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT '',
  starts_at INTEGER,
  ends_at INTEGER,
  max_fires INTEGER,
  paused INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  next_fire_at INTEGER,
  last_fire_at INTEGER,
  fires INTEGER NOT NULL DEFAULT 0,
  misfires INTEGER NOT NULL DEFAULT 0,
  unreachable INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX ix_schedules_due ON schedules(next_fire_at);
CREATE INDEX ix_schedules_state ON schedules(state);
CREATE INDEX ix_schedules_unionid ON schedules(unionid, id);
