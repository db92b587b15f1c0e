-- Accounts, leases and access tokens. Times are Unix milliseconds.
-- openids and unionids are case-sensitive; SQLite compares TEXT byte for byte.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  unionid TEXT UNIQUE,
  oa_openid TEXT UNIQUE,
  subscribed INTEGER NOT NULL DEFAULT 0,
  mp_openid TEXT UNIQUE,
  synced_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE tokens (
  app TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);

CREATE TABLE token_refreshes (
  app TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_at INTEGER NOT NULL
);
