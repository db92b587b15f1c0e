// The SQLite statements of the core store (store/portable_sql.h holds those both dialects share).
#pragma once

#include "store/portable_sql.h"

namespace wxb::sqlite_sql {

using namespace wxb::portable_sql;  // the statements both dialects share

inline constexpr const char* kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)";

inline constexpr const char* kDropOrphanFollower =
    "DELETE FROM accounts WHERE oa_openid = ? AND unionid IS NULL";
// Follower state is last-writer-wins by time: a sync batch written late never undoes an
// unfollow event stamped after it (SET expressions all see the row as it was).
#define WXB_SQLITE_NEWER_WINS                                                                 \
  " subscribed = CASE WHEN excluded.synced_at >= accounts.synced_at THEN excluded.subscribed" \
  " ELSE accounts.subscribed END, synced_at = MAX(accounts.synced_at, excluded.synced_at)"
inline constexpr const char* kUpsertFollowerByUnionid =
    "INSERT INTO accounts(unionid, oa_openid, subscribed, synced_at) VALUES(?, ?, ?, ?)"
    " ON CONFLICT(unionid) DO UPDATE SET oa_openid = excluded.oa_openid," WXB_SQLITE_NEWER_WINS;
inline constexpr const char* kUpsertFollowerByOpenid =
    "INSERT INTO accounts(oa_openid, subscribed, synced_at) VALUES(?, ?, ?)"
    " ON CONFLICT(oa_openid) DO UPDATE SET" WXB_SQLITE_NEWER_WINS;
#undef WXB_SQLITE_NEWER_WINS
inline constexpr const char* kUpsertMpUserByUnionid =
    "INSERT INTO accounts(unionid, mp_openid) VALUES(?, ?)"
    " ON CONFLICT(unionid) DO UPDATE SET mp_openid = excluded.mp_openid";
inline constexpr const char* kInsertMpUser =
    "INSERT INTO accounts(mp_openid) VALUES(?) ON CONFLICT(mp_openid) DO NOTHING";

inline constexpr const char* kUpsertLease =
    "INSERT INTO leases(name, owner, expires_at) VALUES(?, ?, ?)"
    " ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
    " WHERE leases.owner = excluded.owner OR leases.expires_at <= ?";

inline constexpr const char* kInsertToken =
    "INSERT OR IGNORE INTO tokens(app, access_token, expires_at, fetched_at, version)"
    " VALUES(?, ?, ?, ?, 1)";
inline constexpr const char* kEnsureRefreshRow =
    "INSERT OR IGNORE INTO token_refreshes(app, day, count, last_at) VALUES(?, '', 0, 0)";

// Never moves backwards: two instances recording the same fire leave the later time.
inline constexpr const char* kRecordFire =
    "INSERT INTO cron_fires(job, last_fire_at) VALUES(?, ?) ON CONFLICT(job) DO UPDATE SET"
    " last_fire_at = MAX(last_fire_at, excluded.last_fire_at)";

}  // namespace wxb::sqlite_sql
