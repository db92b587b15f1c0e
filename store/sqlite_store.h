// SqliteStore: the embedded single-instance backend, on SQLite through Poco::Data, over one
// shared SqliteDb connection. Thread-safe.
#pragma once

#include "store/sqlite_db.h"
#include "store/sqlite_notify_store.h"
#include "store/sqlite_sync_store.h"
#include "store/store.h"

namespace wxb {

class SqliteStore final : public Store {
 public:
  // `path` is a file (its folder is created) or ":memory:".
  explicit SqliteStore(const std::string& path);

  std::string dialect() const override { return "sqlite"; }
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

  SqliteDb db_;
  SqliteSyncStore syncRuns_{db_};
  SqliteNotifyStore notifications_{db_};
};

}  // namespace wxb
