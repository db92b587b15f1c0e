-- Notifications: unread events, the outbox of template messages, digest runs and send pauses.
-- Times are Unix milliseconds. See docs/notify.md for the outbox states and their meaning.
CREATE TABLE events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  unionid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  type VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  actor VARCHAR(256) NOT NULL DEFAULT '',
  text VARCHAR(256) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_events_event_id (event_id),
  KEY ix_events_unread (read_at, unionid, type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- due_at is set only while a row may be claimed (pending, or unknown inside the resend window).
CREATE TABLE outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  idempotency_key VARCHAR(192) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  digest_run BIGINT NOT NULL DEFAULT 0,
  unionid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  touser VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  template VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  payload TEXT NOT NULL,
  state VARCHAR(8) CHARACTER SET ascii NOT NULL,
  due_at BIGINT NULL,
  attempts INT NOT NULL DEFAULT 0,
  claimed_by VARCHAR(128) NOT NULL DEFAULT '',
  claim_until BIGINT NOT NULL DEFAULT 0,
  last_attempt_at BIGINT NOT NULL DEFAULT 0,
  ambiguous_since BIGINT NOT NULL DEFAULT 0,
  errcode INT NOT NULL DEFAULT 0,
  error VARCHAR(512) NOT NULL DEFAULT '',
  msgid BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_outbox_key (idempotency_key),
  KEY ix_outbox_due (due_at),
  KEY ix_outbox_state (state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE digest_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  run_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  enqueued TINYINT NOT NULL DEFAULT 0,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL DEFAULT 0,
  accounts BIGINT NOT NULL DEFAULT 0,
  messages BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_digest_runs_key (run_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE send_pauses (
  api VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  until_at BIGINT NOT NULL,
  reason VARCHAR(256) NOT NULL DEFAULT '',
  set_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
