// MysqlNotifyStore: events, outbox, digest runs and send pauses of the MySQL/MariaDB backend,
// over the MysqlPool that MysqlStore owns (MysqlStore::notifications() hands it out). Several
// instances claim outbox rows concurrently with SELECT ... FOR UPDATE SKIP LOCKED (MariaDB
// 10.6+, MySQL 8.0+): each claimer passes over rows another one is taking, so no row is ever
// claimed twice and no claimer waits for another. Transactions that lose a deadlock are retried.
// Thread-safe.
#pragma once

#include "store/mysql_pool.h"
#include "store/notifications/notifications.h"

namespace wxb {

class MysqlNotifyStore final : public Notifications {
 public:
  explicit MysqlNotifyStore(MysqlPool& pool) : pool_(pool) {}

  bool addEvent(const NotifyEvent& event) override;
  int64_t markRead(const std::string& unionid, const std::vector<std::string>& types,
                   int64_t nowMs) override;
  std::optional<UnreadSummary> unreadSummary(const std::string& unionid) override;
  std::vector<UnreadSummary> unreadPage(const std::string& afterUnionid, int limit) override;

  EnqueueResult enqueue(const NewMessage& message, int64_t nowMs) override;
  int64_t enqueueMany(const std::vector<NewMessage>& messages, int64_t nowMs) override;
  std::vector<OutboxMessage> claim(const std::string& owner, int limit, int64_t nowMs,
                                   int64_t claimTtlMs) override;
  void extendClaims(const std::string& owner, int64_t untilMs, int64_t renewBeforeMs,
                    int64_t claimedSinceMs) override;
  int64_t markSent(const std::vector<std::pair<int64_t, int64_t>>& sent, const std::string& owner,
                   int64_t nowMs) override;
  bool markFailed(int64_t id, const std::string& owner, int errcode, const std::string& error,
                  int64_t nowMs) override;
  bool retryLater(int64_t id, const std::string& owner, const SendRetry& retry,
                  int64_t nowMs) override;
  bool markUnknown(int64_t id, const std::string& owner, const std::string& error,
                   int64_t nowMs) override;
  int64_t recoverStale(int64_t nowMs) override;
  std::optional<OutboxMessage> message(int64_t id) override;
  std::map<OutboxState, int64_t> depthByState() override;
  std::optional<int64_t> nextDueMs() override;

  void pauseSends(const std::string& api, int64_t untilMs, const std::string& reason,
                  int64_t nowMs) override;
  std::optional<int64_t> sendsPausedUntil(const std::string& api, int64_t nowMs) override;

  DigestRun openDigestRun(const std::string& runKey, int64_t nowMs) override;
  std::optional<DigestRun> latestDigestRun() override;
  void finishDigestRun(int64_t id, int64_t accounts, int64_t skipped, int64_t nowMs) override;
  int64_t openMessagesOfRun(int64_t id) override;

  PurgeCounts purgeBefore(int64_t cutoffMs, int maxRows) override;

 private:
  // Runs fn(conn) on a pooled connection, again (up to a few times) when it lost a deadlock.
  template <typename Fn>
  auto run(Fn&& fn) -> decltype(fn(std::declval<MysqlConn&>()));

  MysqlPool& pool_;
};

}  // namespace wxb
