// SQL statements that read the same in SQLite and MySQL, shared by both backends (each
// dialect's own header adds the rest). All values are bound parameters.
#pragma once

namespace wxb::portable_sql {

inline constexpr const char* kAppliedMigrations = "SELECT name FROM schema_migrations";
inline constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations(name, applied_at) VALUES(?, ?)";
inline constexpr const char* kAccountColumns =
    "SELECT COALESCE(unionid, ''), COALESCE(oa_openid, ''), subscribed,"
    " COALESCE(mp_openid, ''), synced_at FROM accounts ";
inline constexpr const char* kDropOrphanMpUser =
    "DELETE FROM accounts WHERE mp_openid = ? AND unionid IS NULL AND oa_openid IS NULL";
inline constexpr const char* kCountAccounts = "SELECT COUNT(*) FROM accounts";
inline constexpr const char* kLeaseHeldBy =
    "SELECT COUNT(*) FROM leases WHERE name = ? AND owner = ? AND expires_at = ?";
inline constexpr const char* kReleaseLease =
    "UPDATE leases SET expires_at = 0 WHERE name = ? AND owner = ?";
inline constexpr const char* kLeaseHolder =
    "SELECT owner, expires_at FROM leases WHERE name = ? AND expires_at > ?";
inline constexpr const char* kLoadToken =
    "SELECT access_token, expires_at, fetched_at, version FROM tokens WHERE app = ?";
inline constexpr const char* kUpdateToken =
    "UPDATE tokens SET access_token = ?, expires_at = ?, fetched_at = ?, version = version + 1"
    " WHERE app = ? AND version = ?";
inline constexpr const char* kExpireToken =
    "UPDATE tokens SET expires_at = 0 WHERE app = ? AND access_token = ? AND expires_at <> 0";
inline constexpr const char* kLoadRefreshRow =
    "SELECT day, count, last_at FROM token_refreshes WHERE app = ?";
inline constexpr const char* kStoreRefreshRow =
    "UPDATE token_refreshes SET day = ?, count = ?, last_at = ? WHERE app = ?";
inline constexpr const char* kLastFire = "SELECT last_fire_at FROM cron_fires WHERE job = ?";
// Readiness: a write that matches no row (no lease is named ""), so it changes nothing but
// fails on a store that cannot take writes.
inline constexpr const char* kWriteProbe =
    "UPDATE leases SET expires_at = expires_at WHERE name = ?";

}  // namespace wxb::portable_sql
