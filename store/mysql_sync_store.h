// MysqlSyncStore: the sync-run records of the MySQL/MariaDB backend, over the MysqlPool that
// MysqlStore owns (MysqlStore::syncRuns() hands it out), plus the write-back into the
// application's own tables on the same server. Thread-safe.
#pragma once

#include "store/mysql_pool.h"
#include "store/sync_runs/sync_runs.h"

namespace wxb {

class MysqlSyncStore final : public SyncRuns {
 public:
  explicit MysqlSyncStore(MysqlPool& pool) : pool_(pool) {}

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
  MysqlPool& pool_;
};

}  // namespace wxb
