-- Channels (docs/channels.md): the grant ledger of subscribe messages, the channel and send
-- class of each outbox message, and the sends counted against each channel's daily budget.
-- Times are Unix milliseconds. One schema change per ALTER (some MySQL-compatible databases
-- take no more).

-- One-time subscribe grants per (app, openid, template_id): app 'mp' holds the mini program's
-- (mp_subscribe, keyed by mp_openid), 'oa' the official account's (oa_subscribe, by oa_openid).
-- last_answer: accept | reject | ban | filter, '' before the first.
CREATE TABLE subscription_grants (
  app CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  template_id VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  grants INT NOT NULL DEFAULT 0,
  last_answer VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT '',
  last_answer_at BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (app, openid, template_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Sends each channel made on each China day (the platform's quota day, 'YYYY-MM-DD').
CREATE TABLE send_budgets (
  channel VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  day CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  used BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (channel, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- channel: the one the message was (or is being) sent on; every earlier row was a template
-- message. send_class: 0 direct, 1 reminder, 2 realtime, 3 digest; claims take lower numbers
-- first, through ix_outbox_class_due. state grows to hold no_channel.
ALTER TABLE outbox ADD COLUMN channel VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'oa_template';
ALTER TABLE outbox ADD COLUMN send_class TINYINT NOT NULL DEFAULT 0;
ALTER TABLE outbox MODIFY state VARCHAR(16) CHARACTER SET ascii NOT NULL;
UPDATE outbox SET send_class = 3 WHERE digest_run <> 0;
ALTER TABLE outbox ADD KEY ix_outbox_class_due (send_class, due_at);

-- Pauses are per channel now: the template API's pause is oa_template's.
UPDATE send_pauses SET api = 'oa_template' WHERE api = 'template';
