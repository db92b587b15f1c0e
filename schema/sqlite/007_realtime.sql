-- Real-time notices (docs/notify.md#real-time-notices) and per-user preferences. Times are Unix
-- milliseconds.
--
-- events.notice: where an event stands with the real-time rules. 0 held (a real-time event no
-- notice has announced yet), N > 0 announced by the user's notice number N, -1 not for the
-- real-time rules (a digest-only type; every event stored before this migration), -2 dropped
-- (read before its notice was due), -3 announced by a digest, -4 of a type the user muted,
-- -5 fell due when the user followed no OA (nothing to send to).
ALTER TABLE events ADD COLUMN notice INTEGER NOT NULL DEFAULT -1;
CREATE INDEX ix_events_notice ON events(unionid, notice);

-- One row per user who ever had a real-time event: the window (open before window_end), the
-- notices sent so far (the next one's idempotency key is realtime:<unionid>:<notices + 1>),
-- and due_at, when the held events next fall due (NULL: nothing held). Instances find due users
-- through ix_notice_windows_due.
CREATE TABLE notice_windows (
  unionid TEXT PRIMARY KEY,
  window_end INTEGER NOT NULL DEFAULT 0,
  notices INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX ix_notice_windows_due ON notice_windows(due_at);

-- PUT /v1/accounts/{unionid}/preferences: NULL where the user follows the configuration.
-- muted_types is comma-separated (types are a-z 0-9 _).
CREATE TABLE preferences (
  unionid TEXT PRIMARY KEY,
  timezone TEXT,
  quiet_hours TEXT,
  muted_types TEXT,
  digest INTEGER,
  updated_at INTEGER NOT NULL
);
