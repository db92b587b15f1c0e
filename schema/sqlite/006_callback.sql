-- The platform's event push (issue #13, docs/callback.md). Times are Unix milliseconds.
-- callback_pushes: one row per push applied, by its dedup key (wechat/callback/push_event.h), so
-- a retried push - to this instance or another - changes nothing. Kept (at
-- least an hour: the platform retries within about 15 s), then purged by received_at.
CREATE TABLE callback_pushes (
  dedup_key TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX ix_callback_pushes_received ON callback_pushes(received_at);

-- The durable queue of what a push needs from the platform, done after the reply: kind
-- unionid (user/info for openid) or receipt (a receipt that arrived before its outbox row knew
-- the msgid; payload "msgid delivery at"). next_attempt_at is NULL once the job was given up.
CREATE TABLE callback_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  openid TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  claimed_by TEXT NOT NULL DEFAULT '',
  claim_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX ix_callback_jobs_next ON callback_jobs(next_attempt_at);

-- Bind codes: a temporary parametric QR code whose scene binds the OA openid that scans it to
-- one mini-program user. Single use (used_at), until expires_at.
CREATE TABLE bind_codes (
  scene TEXT PRIMARY KEY,
  mp_openid TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER NOT NULL DEFAULT 0,
  oa_openid TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX ix_bind_codes_expires ON bind_codes(expires_at);

-- TEMPLATESENDJOBFINISH: the delivery state of a sent message (delivered | blocked | failed).
ALTER TABLE outbox ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN delivery_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_outbox_msgid ON outbox(msgid);

-- A blocked receipt marks the follower as refusing template messages from that time; a later
-- follow clears it (0: not refusing).
ALTER TABLE accounts ADD COLUMN refuses_templates_since INTEGER NOT NULL DEFAULT 0;
