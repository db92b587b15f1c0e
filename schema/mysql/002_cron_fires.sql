-- The last fire of every scheduled job, for the scheduler's misfire policy.
CREATE TABLE cron_fires (
  job VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  last_fire_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
