// MysqlStore: the shared backend for several instances, on MySQL/MariaDB (or a MySQL-compatible
// distributed database) through MySQL Connector/C++ and a MysqlPool. Cross-instance guarantees
// (leases, token compare-and-set, migrations) come from conditional statements, row locks and
// GET_LOCK, never from process memory. Thread-safe.
#pragma once

#include "store/mysql_notify_store.h"
#include "store/mysql_pool.h"
#include "store/mysql_sync_store.h"
#include "store/store.h"

namespace wxb {

class MysqlStore final : public Store {
 public:
  // Connects once (throws StoreUnavailable when the server cannot be reached).
  explicit MysqlStore(const StoreSettings& settings);

  std::string dialect() const override { return "mysql"; }
  MigrationReport migrate() override;
  std::optional<std::string> whyNotReady() override;

  std::optional<Account> findByUnionid(const std::string& unionid) override;
  std::optional<Account> findByOaOpenid(const std::string& oaOpenid) override;
  std::vector<Account> findByUnionids(const std::vector<std::string>& unionids) override;
  void upsertFollowers(const std::vector<FollowerRecord>& followers, int64_t syncedAtMs) override;
  void setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs) override;
  void recordMpUser(const std::string& mpOpenid, const std::string& unionid) override;
  int64_t countAccounts() override;
  SyncRunStore& syncRuns() override { return syncRuns_; }
  NotifyStore& notifications() override { return notifications_; }

  bool tryAcquireLease(const std::string& name, const std::string& owner, int64_t ttlMs,
                       int64_t nowMs) override;
  void releaseLease(const std::string& name, const std::string& owner) override;
  std::optional<LeaseHolder> leaseHolder(const std::string& name, int64_t nowMs) override;

  std::optional<StoredToken> loadToken(const std::string& app) override;
  std::optional<int64_t> storeToken(const std::string& app, const std::string& token,
                                    int64_t expiresAtMs, int64_t fetchedAtMs,
                                    int64_t expectedVersion) override;
  bool expireToken(const std::string& app, const std::string& deadToken) override;
  bool tryCountForcedRefresh(const std::string& app, const std::string& day, int64_t nowMs,
                             int64_t minGapMs, int maxPerDay) override;
  int forcedRefreshesOn(const std::string& app, const std::string& day) override;

  std::optional<int64_t> lastFireMs(const std::string& job) override;
  void recordFireMs(const std::string& job, int64_t fireMs) override;

 private:
  std::optional<Account> findAccount(const std::string& where, const std::string& value);
  void upsertFollowerChunk(MysqlConn& conn, const FollowerRecord* first, size_t n,
                           int64_t syncedAtMs);

  MysqlPool pool_;
  MysqlSyncStore syncRuns_{pool_};
  MysqlNotifyStore notifications_{pool_};
};

}  // namespace wxb
