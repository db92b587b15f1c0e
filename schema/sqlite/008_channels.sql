-- Channels (docs/channels.md): the grant ledger of subscribe messages, the channel and send
-- class of each outbox message, and the sends counted against each channel's daily budget.
-- Times are Unix milliseconds.

-- One-time subscribe grants per (app, openid, template_id): app 'mp' holds the mini program's
-- (mp_subscribe, keyed by mp_openid), 'oa' the official account's (oa_subscribe, by oa_openid).
-- last_answer: accept | reject | ban | filter, '' before the first.
CREATE TABLE subscription_grants (
  app TEXT NOT NULL,
  openid TEXT NOT NULL,
  template_id TEXT NOT NULL,
  grants INTEGER NOT NULL DEFAULT 0,
  last_answer TEXT NOT NULL DEFAULT '',
  last_answer_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app, openid, template_id)
);

-- Sends each channel made on each China day (the platform's quota day, 'YYYY-MM-DD').
CREATE TABLE send_budgets (
  channel TEXT NOT NULL,
  day TEXT NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel, day)
);

-- channel: the one the message was (or is being) sent on; every earlier row was a template
-- message. send_class: 0 direct, 1 reminder, 2 realtime, 3 digest; claims take lower numbers
-- first, through ix_outbox_class_due.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'oa_template';
ALTER TABLE outbox ADD COLUMN send_class INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET send_class = 3 WHERE digest_run <> 0;
CREATE INDEX ix_outbox_class_due ON outbox(send_class, due_at);

-- Pauses are per channel now: the template API's pause is oa_template's.
UPDATE send_pauses SET api = 'oa_template' WHERE api = 'template';
