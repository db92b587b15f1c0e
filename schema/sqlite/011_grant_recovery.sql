-- Grant recovery (issue #15, docs/channels.md "When a sender dies"): what a claimed outbox
-- message spent from the grant ledger, whether its platform call started, and the client reports
-- of POST /v1/subscriptions already applied. Times are Unix milliseconds.

-- call_started_at: when the sender of the current claim committed that it is about to call the
-- platform (subscribe channels only; 0 before). grant_*: the ledger entry (subscription_grants)
-- the current claim spent a grant of, '' when none. Both are reset by each claim. A dead sender's
-- claim whose call never started goes back to pending and its grant is given back.
ALTER TABLE outbox ADD COLUMN call_started_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN grant_app TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN grant_openid TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN grant_template TEXT NOT NULL DEFAULT '';
-- Claims made before this migration may have called the platform: treat them as started.
UPDATE outbox SET call_started_at = last_attempt_at WHERE state = 'sending';

-- The client reports applied once per (mp_openid, report_id), with the first answer; deleted by
-- the retention job after notify.retention_days.
CREATE TABLE subscription_reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  openid TEXT NOT NULL,
  report_id TEXT NOT NULL,
  answer TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (openid, report_id)
);
CREATE INDEX ix_subscription_reports_created ON subscription_reports(created_at);
