-- Follower sync runs: one row per run, with its checkpoint (the user/get cursor of the next page
-- to fetch) and counters, so a killed run resumes where it stopped. Times are Unix milliseconds.
-- state: running | interrupted (both resumable) | completed | incomplete | failed | abandoned.
CREATE TABLE sync_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  state VARCHAR(16) CHARACTER SET ascii NOT NULL,
  owner VARCHAR(128) NOT NULL,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL DEFAULT 0,
  next_openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  pages BIGINT NOT NULL DEFAULT 0,
  followers BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0,
  mapped BIGINT NOT NULL DEFAULT 0,
  unsubscribed BIGINT NOT NULL DEFAULT 0,
  errors BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  resumes INT NOT NULL DEFAULT 0,
  last_error VARCHAR(512) NOT NULL DEFAULT '',
  KEY ix_sync_runs_state (state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
