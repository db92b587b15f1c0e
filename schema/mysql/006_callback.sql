-- The platform's event push (issue #13, docs/callback.md). Times are Unix milliseconds.
-- callback_pushes: one row per push applied, by its dedup key (wechat/callback/push_event.h), so
-- a retried push - to this instance or another - changes nothing. Kept (at
-- least an hour: the platform retries within about 15 s), then purged by received_at.
CREATE TABLE callback_pushes (
  dedup_key CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  event VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  received_at BIGINT NOT NULL,
  KEY ix_callback_pushes_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The durable queue of what a push needs from the platform, done after the reply: kind
-- unionid (user/info for openid) or receipt (a receipt that arrived before its outbox row knew
-- the msgid; payload "msgid delivery at"). next_attempt_at is NULL once the job was given up.
CREATE TABLE callback_jobs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  payload VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NULL,
  claimed_by VARCHAR(128) NOT NULL DEFAULT '',
  claim_until BIGINT NOT NULL DEFAULT 0,
  last_error VARCHAR(512) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  KEY ix_callback_jobs_next (next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Bind codes: a temporary parametric QR code whose scene binds the OA openid that scans it to
-- one mini-program user. Single use (used_at), until expires_at.
CREATE TABLE bind_codes (
  scene VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  mp_openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0,
  oa_openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  KEY ix_bind_codes_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- TEMPLATESENDJOBFINISH: the delivery state of a sent message (delivered | blocked | failed).
-- One schema change per ALTER: some MySQL-compatible databases take one at a time.
ALTER TABLE outbox ADD COLUMN delivery VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN delivery_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD KEY ix_outbox_msgid (msgid);

-- A blocked receipt marks the follower as refusing template messages from that time; a later
-- follow clears it (0: not refusing).
ALTER TABLE accounts ADD COLUMN refuses_templates_since BIGINT NOT NULL DEFAULT 0;
