// Every SQL statement of the sync-run stores (store/sqlite_sync_store.h and
// store/mysql_sync_store.h): the dialects agree on all but how to read the new run id.
// All values are bound parameters.
#pragma once

namespace wxb::sync_sql {

inline constexpr const char* kRunColumns =
    "SELECT id, state, owner, started_at, updated_at, finished_at, next_openid, pages,"
    " followers, total, mapped, unsubscribed, errors, skipped, resumes, last_error"
    " FROM sync_runs ";
inline constexpr const char* kInsertRun =
    "INSERT INTO sync_runs(state, owner, started_at, updated_at) VALUES('running', ?, ?, ?)";
inline constexpr const char* kMysqlLastId = "SELECT LAST_INSERT_ID()";
inline constexpr const char* kSqliteLastId = "SELECT last_insert_rowid()";
inline constexpr const char* kWhereUnfinished =
    "WHERE state IN ('running', 'interrupted') ORDER BY id DESC LIMIT 1";
inline constexpr const char* kWhereLatest = "ORDER BY id DESC LIMIT 1";
inline constexpr const char* kWhereId = "WHERE id = ?";
inline constexpr const char* kClaimRun =
    "UPDATE sync_runs SET state = 'running', owner = ?, updated_at = ?, resumes = resumes + 1"
    " WHERE id = ? AND state IN ('running', 'interrupted')";
inline constexpr const char* kSaveRun =
    "UPDATE sync_runs SET state = ?, updated_at = ?, finished_at = ?, next_openid = ?,"
    " pages = ?, followers = ?, total = ?, mapped = ?, unsubscribed = ?, errors = ?,"
    " skipped = ?, last_error = ? WHERE id = ? AND owner = ?";
// Rows the run saw carry a synced_at at or after its start; so do rows that follow/unfollow
// events touched during the run, which are newer news than the run's absence of them.
inline constexpr const char* kMarkUnseen =
    "UPDATE accounts SET subscribed = 0, synced_at = ?"
    " WHERE subscribed = 1 AND oa_openid IS NOT NULL AND synced_at < ?";

}  // namespace wxb::sync_sql
