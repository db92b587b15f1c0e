#include "store/sqlite_sync_store.h"

#include <Poco/Data/Statement.h>

#include "store/sync_sql.h"

using namespace Poco::Data::Keywords;
namespace sql = wxb::sync_sql;

namespace wxb {

std::optional<SyncRun> SqliteSyncStore::selectRun(Poco::Data::Session& session, const char* where,
                                                  std::optional<int64_t> id) {
  SyncRun r;
  std::string state;
  Poco::Data::Statement select(session);
  select << std::string(sql::kRunColumns) + where, into(r.id), into(state), into(r.owner),
      into(r.startedAtMs), into(r.updatedAtMs), into(r.finishedAtMs), into(r.nextOpenid),
      into(r.pages), into(r.followers), into(r.total), into(r.mapped), into(r.unsubscribed),
      into(r.errors), into(r.skipped), into(r.resumes), into(r.lastError);
  if (id) select, bind(*id);
  select, limit(1);
  if (select.execute() == 0) return std::nullopt;
  r.state = parseSyncState(state);
  return r;
}

SyncRun SqliteSyncStore::startRun(const std::string& owner, int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kInsertRun, useRef(owner), bind(nowMs), bind(nowMs), now;
    int64_t id = 0;
    session << sql::kSqliteLastId, into(id), now;
    return *selectRun(session, sql::kWhereId, id);
  });
}

std::optional<SyncRun> SqliteSyncStore::unfinishedRun() {
  return db_.locked([&](Poco::Data::Session& session) {
    return selectRun(session, sql::kWhereUnfinished, std::nullopt);
  });
}

std::optional<SyncRun> SqliteSyncStore::claimRun(int64_t id, const std::string& owner,
                                                 int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) -> std::optional<SyncRun> {
    Poco::Data::Statement claim(session);
    claim << sql::kClaimRun, useRef(owner), bind(nowMs), bind(id);
    if (claim.execute() != 1) return std::nullopt;
    return selectRun(session, sql::kWhereId, id);
  });
}

bool SqliteSyncStore::saveRun(const SyncRun& run) {
  return db_.transaction([&](Poco::Data::Session& session) {
    std::string state = syncStateName(run.state);
    Poco::Data::Statement save(session);
    save << sql::kSaveRun, useRef(state), bind(run.updatedAtMs), bind(run.finishedAtMs),
        useRef(run.nextOpenid), bind(run.pages), bind(run.followers), bind(run.total),
        bind(run.mapped), bind(run.unsubscribed), bind(run.errors), bind(run.skipped),
        useRef(run.lastError), bind(run.id), useRef(run.owner);
    return save.execute() == 1;
  });
}

std::optional<SyncRun> SqliteSyncStore::latestRun() {
  return db_.locked([&](Poco::Data::Session& session) {
    return selectRun(session, sql::kWhereLatest, std::nullopt);
  });
}

std::optional<SyncRun> SqliteSyncStore::findRun(int64_t id) {
  return db_.locked(
      [&](Poco::Data::Session& session) { return selectRun(session, sql::kWhereId, id); });
}

int64_t SqliteSyncStore::markUnseenUnsubscribed(int64_t runStartedAtMs, int64_t atMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement mark(session);
    mark << sql::kMarkUnseen, bind(atMs), bind(runStartedAtMs);
    return static_cast<int64_t>(mark.execute());
  });
}

int64_t SqliteSyncStore::writeBack(const std::string&, const std::vector<FollowerRecord>&) {
  throw StoreError("sync write-back needs a MySQL store (store.url = mysql://...)");
}

}  // namespace wxb
