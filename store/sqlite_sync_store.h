// SqliteSyncStore: the sync-run records of the embedded SQLite backend, over the SqliteDb
// connection that SqliteStore owns (SqliteStore::syncRuns() hands it out). Write-back is not
// supported here: it targets the application's MySQL tables. Thread-safe.
#pragma once

#include "store/sqlite_db.h"
#include "store/sync_runs/sync_runs.h"

namespace wxb {

class SqliteSyncStore final : public SyncRuns {
 public:
  explicit SqliteSyncStore(SqliteDb& db) : db_(db) {}

  SyncRun startRun(const std::string& owner, int64_t nowMs) override;
  std::optional<SyncRun> unfinishedRun() override;
  std::optional<SyncRun> claimRun(int64_t id, const std::string& owner, int64_t nowMs) override;
  bool saveRun(const SyncRun& run) override;
  std::optional<SyncRun> latestRun() override;
  std::optional<SyncRun> findRun(int64_t id) override;
  int64_t markUnseenUnsubscribed(int64_t runStartedAtMs, int64_t atMs) override;
  int64_t writeBack(const std::string& statement,
                    const std::vector<FollowerRecord>& followers) override;

 private:
  // The first run matching `where` (a kWhere* clause, with `id` bound when it has a '?').
  std::optional<SyncRun> selectRun(Poco::Data::Session& session, const char* where,
                                   std::optional<int64_t> id);

  SqliteDb& db_;
};

}  // namespace wxb
