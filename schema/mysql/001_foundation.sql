-- Accounts, leases and access tokens. Times are Unix milliseconds.
-- openids and unionids are case-sensitive: ascii_bin, never a case-folding collation.
CREATE TABLE accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  unionid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  oa_openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  subscribed TINYINT NOT NULL DEFAULT 0,
  mp_openid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  synced_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_accounts_unionid (unionid),
  UNIQUE KEY uk_accounts_oa_openid (oa_openid),
  UNIQUE KEY uk_accounts_mp_openid (mp_openid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE leases (
  name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  owner VARCHAR(128) NOT NULL,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tokens (
  app VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  access_token VARCHAR(2048) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  expires_at BIGINT NOT NULL,
  fetched_at BIGINT NOT NULL,
  version BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE token_refreshes (
  app VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  day CHAR(10) NOT NULL,
  count INT NOT NULL,
  last_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
