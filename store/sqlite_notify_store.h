// SqliteNotifyStore: events, outbox, digest runs and send pauses of the embedded SQLite backend,
// over the SqliteDb connection that SqliteStore owns (SqliteStore::notifications() hands it
// out). Claims are exclusive because SQLite has one writer at a time (BEGIN IMMEDIATE): this
// backend serves one instance, plus CLI commands sharing its file. Thread-safe.
#pragma once

#include "store/notifications/notifications.h"
#include "store/sqlite_db.h"

namespace wxb {

class SqliteNotifyStore final : public Notifications {
 public:
  explicit SqliteNotifyStore(SqliteDb& db) : db_(db) {}

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
  std::vector<UnreadSummary> unreadRange(Poco::Data::Session& session, const std::string& first,
                                         const std::string& last);
  bool insertMessage(Poco::Data::Session& session, const NewMessage& message, int64_t nowMs);
  std::optional<OutboxMessage> selectMessage(Poco::Data::Session& session, int64_t id);
  std::optional<DigestRun> selectRun(Poco::Data::Session& session, const char* where,
                                     const std::string* runKey);

  SqliteDb& db_;
};

}  // namespace wxb
