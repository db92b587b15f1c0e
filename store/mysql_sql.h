// The MySQL/MariaDB statements of the core store (store/portable_sql.h holds those both
// dialects share). All values are bound parameters; the only generated text is the number of
// "(?, ...)" groups of a batch.
#pragma once

#include <string>

#include "store/portable_sql.h"

namespace wxb::mysql_sql {

using namespace wxb::portable_sql;  // the statements both dialects share

inline constexpr const char* kMigrationLock = "SELECT GET_LOCK('wxbridge.migrate', 120)";
inline constexpr const char* kMigrationUnlock = "SELECT RELEASE_LOCK('wxbridge.migrate')";
inline constexpr const char* kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name VARCHAR(128) NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB";

// When a follower's unionid and openid are each held by a different row, the openid-only row
// is dropped before the upsert merges the follower into the unionid's row: found by a plain
// (non-locking) read, then deleted by id. (A DELETE ... IN that matches nothing would still
// gap-lock the openid index, and concurrent sync batches inserting there would deadlock.)
inline std::string findOrphanFollowers(size_t n) {
  std::string s = "SELECT id FROM accounts WHERE unionid IS NULL AND oa_openid IN (?";
  for (size_t i = 1; i < n; ++i) s += ", ?";
  return s + ")";
}
inline constexpr const char* kDeleteAccount = "DELETE FROM accounts WHERE id = ?";

// Follower state is last-writer-wins by time: a sync batch written late never undoes an
// unfollow event stamped after it. Assignments apply left to right, so `subscribed` is decided
// before `synced_at` moves.
inline constexpr const char* kNewerWins =
    " subscribed = IF(VALUES(synced_at) >= synced_at, VALUES(subscribed), subscribed),"
    " synced_at = GREATEST(synced_at, VALUES(synced_at))";

inline std::string upsertFollowers(size_t n) {
  std::string s =
      "INSERT INTO accounts(unionid, oa_openid, subscribed, synced_at) VALUES"
      " (NULLIF(?, ''), ?, ?, ?)";
  for (size_t i = 1; i < n; ++i) s += ", (NULLIF(?, ''), ?, ?, ?)";
  return s +
         " ON DUPLICATE KEY UPDATE unionid = COALESCE(VALUES(unionid), unionid),"
         " oa_openid = VALUES(oa_openid)," +
         std::string(kNewerWins);
}

inline std::string selectByUnionids(size_t n) {
  std::string s = std::string(kAccountColumns) + "WHERE unionid IN (?";
  for (size_t i = 1; i < n; ++i) s += ", ?";
  return s + ")";
}

inline constexpr const char* kSetSubscribed =
    "INSERT INTO accounts(oa_openid, subscribed, synced_at) VALUES(?, ?, ?)"
    " ON DUPLICATE KEY UPDATE"
    " subscribed = IF(VALUES(synced_at) >= synced_at, VALUES(subscribed), subscribed),"
    " synced_at = GREATEST(synced_at, VALUES(synced_at))";
inline constexpr const char* kUpsertMpUserByUnionid =
    "INSERT INTO accounts(unionid, mp_openid) VALUES(?, ?)"
    " ON DUPLICATE KEY UPDATE mp_openid = VALUES(mp_openid)";
inline constexpr const char* kInsertMpUser =
    "INSERT INTO accounts(mp_openid) VALUES(?) ON DUPLICATE KEY UPDATE mp_openid = mp_openid";

// MySQL applies the assignments left to right: the second IF sees the owner the first one set,
// so the expiry moves only when the lease is (now) ours.
inline constexpr const char* kUpsertLease =
    "INSERT INTO leases(name, owner, expires_at) VALUES(?, ?, ?) ON DUPLICATE KEY UPDATE"
    " owner = IF(owner = VALUES(owner) OR expires_at <= ?, VALUES(owner), owner),"
    " expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)";

inline constexpr const char* kInsertToken =
    "INSERT IGNORE INTO tokens(app, access_token, expires_at, fetched_at, version)"
    " VALUES(?, ?, ?, ?, 1)";
inline constexpr const char* kEnsureRefreshRow =
    "INSERT IGNORE INTO token_refreshes(app, day, count, last_at) VALUES(?, '', 0, 0)";
inline constexpr const char* kLockRefreshRow =
    "SELECT day, count, last_at FROM token_refreshes WHERE app = ? FOR UPDATE";

// Never moves backwards: two instances recording the same fire leave the later time.
inline constexpr const char* kRecordFire =
    "INSERT INTO cron_fires(job, last_fire_at) VALUES(?, ?) ON DUPLICATE KEY UPDATE"
    " last_fire_at = GREATEST(last_fire_at, VALUES(last_fire_at))";

}  // namespace wxb::mysql_sql
