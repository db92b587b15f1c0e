-- The event time of the follower's latest follow (a subscribe push), 0 when none is known
-- (issue #13, docs/callback.md "Receipts and the refusing mark"). A block (a template receipt
-- "failed:user block") and a follow are one state, newest wins by event time: a block older
-- than the latest follow marks nobody, whatever order the pushes arrive in.
ALTER TABLE accounts ADD COLUMN followed_at BIGINT NOT NULL DEFAULT 0;
