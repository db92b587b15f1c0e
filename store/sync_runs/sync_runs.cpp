#include "store/sync_runs/sync_runs.h"

#include "store/db/db.h"

namespace wxb {

// The statements whose SQL differs by dialect.
struct SyncRunsSql {
  Stmt<> lastInsertId;  // the id of the run this session just inserted
};

namespace {

const SyncRunsSql kSqlite{"SELECT last_insert_rowid()"};
const SyncRunsSql kMysql{"SELECT LAST_INSERT_ID()"};

#define WXB_RUN_COLUMNS                                                               \
  "SELECT id, state, owner, started_at, updated_at, finished_at, next_openid, pages," \
  " followers, total, mapped, unsubscribed, errors, skipped, resumes, last_error"     \
  " FROM sync_runs "
const Stmt<int64_t> kById = WXB_RUN_COLUMNS "WHERE id = ?";
const Stmt<> kUnfinished =
    WXB_RUN_COLUMNS "WHERE state IN ('running', 'interrupted') ORDER BY id DESC LIMIT 1";
const Stmt<> kLatest = WXB_RUN_COLUMNS "ORDER BY id DESC LIMIT 1";
#undef WXB_RUN_COLUMNS
const Stmt<std::string, int64_t, int64_t> kInsert =
    "INSERT INTO sync_runs(state, owner, started_at, updated_at) VALUES('running', ?, ?, ?)";
const Stmt<std::string, int64_t, int64_t> kClaim =
    "UPDATE sync_runs SET state = 'running', owner = ?, updated_at = ?, resumes = resumes + 1"
    " WHERE id = ? AND state IN ('running', 'interrupted')";
const Stmt<std::string, int64_t, int64_t, std::string, int64_t, int64_t, int64_t, int64_t, int64_t,
           int64_t, int64_t, Text<512>, int64_t, std::string>
    kSave =
        "UPDATE sync_runs SET state = ?, updated_at = ?, finished_at = ?, next_openid = ?,"
        " pages = ?, followers = ?, total = ?, mapped = ?, unsubscribed = ?, errors = ?,"
        " skipped = ?, last_error = ? WHERE id = ? AND owner = ?";
// Rows the run saw carry a synced_at at or after its start; so do rows that follow/unfollow
// events touched during the run, which are newer news than the run's absence of them.
const Stmt<int64_t, int64_t> kMarkUnseen =
    "UPDATE accounts SET subscribed = 0, synced_at = ?"
    " WHERE subscribed = 1 AND oa_openid IS NOT NULL AND synced_at < ?";

}  // namespace

template <>
struct RowReader<SyncRun> {
  static SyncRun read(const Row& r) {
    SyncRun run;
    run.id = r.int64(0);
    run.state = parseSyncState(r.text(1));
    run.owner = r.text(2);
    run.startedAtMs = r.int64(3);
    run.updatedAtMs = r.int64(4);
    run.finishedAtMs = r.int64(5);
    run.nextOpenid = r.text(6);
    run.pages = r.int64(7);
    run.followers = r.int64(8);
    run.total = r.int64(9);
    run.mapped = r.int64(10);
    run.unsubscribed = r.int64(11);
    run.errors = r.int64(12);
    run.skipped = r.int64(13);
    run.resumes = r.integer(14);
    run.lastError = r.text(15);
    return run;
  }
};

SyncRuns::SyncRuns(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

SyncRun SyncRuns::startRun(const std::string& owner, int64_t nowMs) {
  return db_.transaction([&](Session& s) {
    s.exec(kInsert, owner, nowMs, nowMs);
    const int64_t id = s.queryOne<int64_t>(sql_.lastInsertId).value_or(0);
    auto run = s.queryOne<SyncRun>(kById, id);
    if (!run) throw StoreError("sync run " + std::to_string(id) + " vanished after insert");
    return *run;
  });
}

std::optional<SyncRun> SyncRuns::unfinishedRun() { return db_.queryOne<SyncRun>(kUnfinished); }

std::optional<SyncRun> SyncRuns::claimRun(int64_t id, const std::string& owner, int64_t nowMs) {
  // A transaction: run again after a lost lock race, the claim counts one resume, not two.
  return db_.transaction([&](Session& s) -> std::optional<SyncRun> {
    if (s.exec(kClaim, owner, nowMs, id) != 1) return std::nullopt;
    return s.queryOne<SyncRun>(kById, id);
  });
}

bool SyncRuns::saveRun(const SyncRun& run) {
  return db_.session([&](Session& s) {
    if (s.exec(kSave, syncStateName(run.state), run.updatedAtMs, run.finishedAtMs, run.nextOpenid,
               run.pages, run.followers, run.total, run.mapped, run.unsubscribed, run.errors,
               run.skipped, run.lastError, run.id, run.owner) == 1) {
      return true;
    }
    // MySQL counts changed rows, not matched ones: a save that changed nothing still counts
    // as saved when the run is ours.
    auto found = s.queryOne<SyncRun>(kById, run.id);
    return found && found->owner == run.owner;
  });
}

std::optional<SyncRun> SyncRuns::latestRun() { return db_.queryOne<SyncRun>(kLatest); }

std::optional<SyncRun> SyncRuns::findRun(int64_t id) { return db_.queryOne<SyncRun>(kById, id); }

int64_t SyncRuns::markUnseenUnsubscribed(int64_t runStartedAtMs, int64_t atMs) {
  return db_.exec(kMarkUnseen, atMs, runStartedAtMs);
}

int64_t SyncRuns::writeBack(const std::string& statement,
                            const std::vector<FollowerRecord>& followers) {
  if (db_.dialect().kind() != Dialect::Kind::Mysql) {
    throw StoreError("sync write-back needs a MySQL store (store.url = mysql://...)");
  }
  const Stmt<std::string, std::string> writeBack(statement);
  return db_.transaction([&](Session& s) {
    int64_t changed = 0;
    for (const auto& f : followers) {
      if (!f.unionid.empty()) changed += s.exec(writeBack, f.oaOpenid, f.unionid);
    }
    return changed;
  });
}

}  // namespace wxb
