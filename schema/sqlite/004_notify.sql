-- Notifications: unread events, the outbox of template messages, digest runs and send pauses.
-- Times are Unix milliseconds. See docs/notify.md for the outbox states and their meaning.
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  unionid TEXT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  read_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_events_unread ON events(read_at, unionid, type);

-- due_at is set only while a row may be claimed (pending, or unknown inside the resend window).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  digest_run INTEGER NOT NULL DEFAULT 0,
  unionid TEXT NOT NULL DEFAULT '',
  touser TEXT NOT NULL DEFAULT '',
  template TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT NOT NULL DEFAULT '',
  claim_until INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER NOT NULL DEFAULT 0,
  ambiguous_since INTEGER NOT NULL DEFAULT 0,
  errcode INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  msgid INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_due ON outbox(due_at);
CREATE INDEX ix_outbox_state ON outbox(state);

CREATE TABLE digest_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_key TEXT NOT NULL UNIQUE,
  enqueued INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0,
  accounts INTEGER NOT NULL DEFAULT 0,
  messages INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE send_pauses (
  api TEXT PRIMARY KEY,
  until_at INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  set_at INTEGER NOT NULL
);
