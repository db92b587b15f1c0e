-- User-set reminders (/v1/schedules, docs/schedules.md). Times are Unix milliseconds.
-- next_fire_at is set only while a schedule is active: the engine finds due schedules through
-- ix_schedules_due, and the /metrics count by state reads ix_schedules_state.
CREATE TABLE schedules (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  unionid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  cron VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  at_ms BIGINT NULL,
  timezone VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  template VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  params TEXT NOT NULL,
  channel VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  starts_at BIGINT NULL,
  ends_at BIGINT NULL,
  max_fires BIGINT NULL,
  paused TINYINT NOT NULL DEFAULT 0,
  state VARCHAR(8) CHARACTER SET ascii NOT NULL,
  next_fire_at BIGINT NULL,
  last_fire_at BIGINT NULL,
  fires BIGINT NOT NULL DEFAULT 0,
  misfires BIGINT NOT NULL DEFAULT 0,
  unreachable BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  KEY ix_schedules_due (next_fire_at),
  KEY ix_schedules_state (state),
  KEY ix_schedules_unionid (unionid, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
