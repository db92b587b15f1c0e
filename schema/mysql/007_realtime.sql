-- Real-time notices (docs/notify.md#real-time-notices) and per-user preferences. Times are Unix
-- milliseconds.
--
-- events.notice: where an event stands with the real-time rules. 0 held (a real-time event no
-- notice has announced yet), N > 0 announced by the user's notice number N, -1 not for the
-- real-time rules (a digest-only type; every event stored before this migration), -2 dropped
-- (read before its notice was due), -3 announced by a digest, -4 of a type the user muted,
-- -5 fell due when the user followed no OA (nothing to send to).
-- Two statements: some MySQL-compatible databases take one schema change per ALTER.
ALTER TABLE events ADD COLUMN notice BIGINT NOT NULL DEFAULT -1;
ALTER TABLE events ADD KEY ix_events_notice (unionid, notice);

-- One row per user who ever had a real-time event: the window (open before window_end), the
-- notices sent so far (the next one's idempotency key is realtime:<unionid>:<notices + 1>),
-- and due_at, when the held events next fall due (NULL: nothing held). Instances find due users
-- through ix_notice_windows_due and claim them with FOR UPDATE SKIP LOCKED.
CREATE TABLE notice_windows (
  unionid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  window_end BIGINT NOT NULL DEFAULT 0,
  notices BIGINT NOT NULL DEFAULT 0,
  due_at BIGINT NULL,
  updated_at BIGINT NOT NULL,
  KEY ix_notice_windows_due (due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- PUT /v1/accounts/{unionid}/preferences: NULL where the user follows the configuration.
-- muted_types is comma-separated (types are a-z 0-9 _).
CREATE TABLE preferences (
  unionid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  timezone VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  quiet_hours VARCHAR(11) CHARACTER SET ascii COLLATE ascii_bin NULL,
  muted_types TEXT CHARACTER SET ascii COLLATE ascii_bin NULL,
  digest TINYINT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
