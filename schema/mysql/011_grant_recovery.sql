-- Grant recovery (issue #15, docs/channels.md "When a sender dies"): what a claimed outbox
-- message spent from the grant ledger, whether its platform call started, and the client reports
-- of POST /v1/subscriptions already applied. Times are Unix milliseconds. One schema change per
-- ALTER (some MySQL-compatible databases take no more).

-- call_started_at: when the sender of the current claim committed that it is about to call the
-- platform (subscribe channels only; 0 before). grant_*: the ledger entry (subscription_grants)
-- the current claim spent a grant of, '' when none. Both are reset by each claim. A dead sender's
-- claim whose call never started goes back to pending and its grant is given back.
ALTER TABLE outbox ADD COLUMN call_started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN grant_app CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN grant_openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN grant_template VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '';
-- Claims made before this migration may have called the platform: treat them as started.
UPDATE outbox SET call_started_at = last_attempt_at WHERE state = 'sending';

-- The client reports applied once per (mp_openid, report_id), with the first answer; deleted by
-- the retention job after notify.retention_days.
CREATE TABLE subscription_reports (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  report_id VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  answer MEDIUMTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE KEY uk_subscription_reports (openid, report_id),
  KEY ix_subscription_reports_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
