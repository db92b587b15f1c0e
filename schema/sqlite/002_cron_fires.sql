-- The last fire of every scheduled job, for the scheduler's misfire policy.
CREATE TABLE cron_fires (
  job TEXT PRIMARY KEY,
  last_fire_at INTEGER NOT NULL
);
