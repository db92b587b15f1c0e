#include "store/mysql_sync_store.h"

#include <cppconn/resultset.h>

#include "store/sync_sql.h"

namespace q = wxb::sync_sql;

namespace wxb {

namespace {

std::unique_ptr<sql::ResultSet> query(sql::PreparedStatement& st) {
  return std::unique_ptr<sql::ResultSet>(st.executeQuery());
}

SyncRun readRun(sql::ResultSet& rs) {
  SyncRun r;
  r.id = rs.getInt64(1);
  r.state = parseSyncState(rs.getString(2));
  r.owner = rs.getString(3);
  r.startedAtMs = rs.getInt64(4);
  r.updatedAtMs = rs.getInt64(5);
  r.finishedAtMs = rs.getInt64(6);
  r.nextOpenid = rs.getString(7);
  r.pages = rs.getInt64(8);
  r.followers = rs.getInt64(9);
  r.total = rs.getInt64(10);
  r.mapped = rs.getInt64(11);
  r.unsubscribed = rs.getInt64(12);
  r.errors = rs.getInt64(13);
  r.skipped = rs.getInt64(14);
  r.resumes = rs.getInt(15);
  r.lastError = rs.getString(16);
  return r;
}

std::optional<SyncRun> selectRun(MysqlConn& conn, const char* where, std::optional<int64_t> id) {
  auto& st = conn.prepare(std::string(q::kRunColumns) + where);
  if (id) st.setInt64(1, *id);
  auto rs = query(st);
  if (!rs->next()) return std::nullopt;
  return readRun(*rs);
}

}  // namespace

SyncRun MysqlSyncStore::startRun(const std::string& owner, int64_t nowMs) {
  return pool_.run([&](MysqlConn& conn) {
    SyncRun run;
    conn.transaction([&] {
      auto& insert = conn.prepare(q::kInsertRun);
      insert.setString(1, owner);
      insert.setInt64(2, nowMs);
      insert.setInt64(3, nowMs);
      insert.executeUpdate();
      auto rs = query(conn.prepare(q::kMysqlLastId));
      rs->next();
      run = *selectRun(conn, q::kWhereId, rs->getInt64(1));
    });
    return run;
  });
}

std::optional<SyncRun> MysqlSyncStore::unfinishedRun() {
  return pool_.run(
      [&](MysqlConn& conn) { return selectRun(conn, q::kWhereUnfinished, std::nullopt); });
}

std::optional<SyncRun> MysqlSyncStore::claimRun(int64_t id, const std::string& owner,
                                                int64_t nowMs) {
  return pool_.run([&](MysqlConn& conn) -> std::optional<SyncRun> {
    auto& claim = conn.prepare(q::kClaimRun);
    claim.setString(1, owner);
    claim.setInt64(2, nowMs);
    claim.setInt64(3, id);
    if (claim.executeUpdate() != 1) return std::nullopt;
    return selectRun(conn, q::kWhereId, id);
  });
}

bool MysqlSyncStore::saveRun(const SyncRun& run) {
  return pool_.run([&](MysqlConn& conn) {
    auto& save = conn.prepare(q::kSaveRun);
    save.setString(1, syncStateName(run.state));
    save.setInt64(2, run.updatedAtMs);
    save.setInt64(3, run.finishedAtMs);
    save.setString(4, run.nextOpenid);
    int64_t counters[] = {run.pages,        run.followers, run.total,  run.mapped,
                          run.unsubscribed, run.errors,    run.skipped};
    for (int i = 0; i < 7; ++i) save.setInt64(5 + i, counters[i]);
    save.setString(12, run.lastError.substr(0, 512));
    save.setInt64(13, run.id);
    save.setString(14, run.owner);
    if (save.executeUpdate() == 1) return true;
    // MySQL counts changed rows, not matched ones: a save that changed nothing still counts
    // as saved when the run is ours.
    auto found = selectRun(conn, q::kWhereId, run.id);
    return found && found->owner == run.owner;
  });
}

std::optional<SyncRun> MysqlSyncStore::latestRun() {
  return pool_.run([&](MysqlConn& conn) { return selectRun(conn, q::kWhereLatest, std::nullopt); });
}

std::optional<SyncRun> MysqlSyncStore::findRun(int64_t id) {
  return pool_.run([&](MysqlConn& conn) { return selectRun(conn, q::kWhereId, id); });
}

int64_t MysqlSyncStore::markUnseenUnsubscribed(int64_t runStartedAtMs, int64_t atMs) {
  return pool_.run([&](MysqlConn& conn) {
    auto& mark = conn.prepare(q::kMarkUnseen);
    mark.setInt64(1, atMs);
    mark.setInt64(2, runStartedAtMs);
    return static_cast<int64_t>(mark.executeUpdate());
  });
}

int64_t MysqlSyncStore::writeBack(const std::string& statement,
                                  const std::vector<FollowerRecord>& followers) {
  return pool_.run([&](MysqlConn& conn) {
    int64_t changed = 0;
    conn.transaction([&] {
      auto& st = conn.prepare(statement);
      for (const auto& f : followers) {
        if (f.unionid.empty()) continue;
        st.setString(1, f.oaOpenid);
        st.setString(2, f.unionid);
        changed += st.executeUpdate();
      }
    });
    return changed;
  });
}

}  // namespace wxb
