// Every SQL statement of the SQLite backend, in one place. All values are bound parameters.
#pragma once

namespace wxb::sqlite_sql {

inline constexpr const char* kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)";
inline constexpr const char* kAppliedMigrations = "SELECT name FROM schema_migrations";
inline constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations(name, applied_at) VALUES(?, ?)";

inline constexpr const char* kAccountColumns =
    "SELECT COALESCE(unionid, ''), COALESCE(oa_openid, ''), subscribed,"
    " COALESCE(mp_openid, ''), synced_at FROM accounts ";
inline constexpr const char* kDropOrphanFollower =
    "DELETE FROM accounts WHERE oa_openid = ? AND unionid IS NULL";
inline constexpr const char* kUpsertFollowerByUnionid =
    "INSERT INTO accounts(unionid, oa_openid, subscribed, synced_at) VALUES(?, ?, ?, ?)"
    " ON CONFLICT(unionid) DO UPDATE SET oa_openid = excluded.oa_openid,"
    " subscribed = excluded.subscribed, synced_at = excluded.synced_at";
inline constexpr const char* kUpsertFollowerByOpenid =
    "INSERT INTO accounts(oa_openid, subscribed, synced_at) VALUES(?, ?, ?)"
    " ON CONFLICT(oa_openid) DO UPDATE SET"
    " subscribed = excluded.subscribed, synced_at = excluded.synced_at";
inline constexpr const char* kDropOrphanMpUser =
    "DELETE FROM accounts WHERE mp_openid = ? AND unionid IS NULL AND oa_openid IS NULL";
inline constexpr const char* kUpsertMpUserByUnionid =
    "INSERT INTO accounts(unionid, mp_openid) VALUES(?, ?)"
    " ON CONFLICT(unionid) DO UPDATE SET mp_openid = excluded.mp_openid";
inline constexpr const char* kInsertMpUser =
    "INSERT INTO accounts(mp_openid) VALUES(?) ON CONFLICT(mp_openid) DO NOTHING";
inline constexpr const char* kCountAccounts = "SELECT COUNT(*) FROM accounts";

inline constexpr const char* kUpsertLease =
    "INSERT INTO leases(name, owner, expires_at) VALUES(?, ?, ?)"
    " ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
    " WHERE leases.owner = excluded.owner OR leases.expires_at <= ?";
inline constexpr const char* kLeaseHeldBy =
    "SELECT COUNT(*) FROM leases WHERE name = ? AND owner = ? AND expires_at = ?";
inline constexpr const char* kReleaseLease =
    "UPDATE leases SET expires_at = 0 WHERE name = ? AND owner = ?";
inline constexpr const char* kLeaseHolder =
    "SELECT owner, expires_at FROM leases WHERE name = ? AND expires_at > ?";

inline constexpr const char* kLoadToken =
    "SELECT access_token, expires_at, fetched_at, version FROM tokens WHERE app = ?";
inline constexpr const char* kInsertToken =
    "INSERT OR IGNORE INTO tokens(app, access_token, expires_at, fetched_at, version)"
    " VALUES(?, ?, ?, ?, 1)";
inline constexpr const char* kUpdateToken =
    "UPDATE tokens SET access_token = ?, expires_at = ?, fetched_at = ?, version = version + 1"
    " WHERE app = ? AND version = ?";
inline constexpr const char* kExpireToken =
    "UPDATE tokens SET expires_at = 0 WHERE app = ? AND access_token = ? AND expires_at <> 0";
inline constexpr const char* kEnsureRefreshRow =
    "INSERT OR IGNORE INTO token_refreshes(app, day, count, last_at) VALUES(?, '', 0, 0)";
inline constexpr const char* kLoadRefreshRow =
    "SELECT day, count, last_at FROM token_refreshes WHERE app = ?";
inline constexpr const char* kStoreRefreshRow =
    "UPDATE token_refreshes SET day = ?, count = ?, last_at = ? WHERE app = ?";

inline constexpr const char* kLastFire = "SELECT last_fire_at FROM cron_fires WHERE job = ?";
// Never moves backwards: two instances recording the same fire leave the later time.
inline constexpr const char* kRecordFire =
    "INSERT INTO cron_fires(job, last_fire_at) VALUES(?, ?) ON CONFLICT(job) DO UPDATE SET"
    " last_fire_at = MAX(last_fire_at, excluded.last_fire_at)";

}  // namespace wxb::sqlite_sql
