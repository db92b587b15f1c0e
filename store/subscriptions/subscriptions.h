// Subscriptions: the grant ledger of subscribe messages - how many one-time grants each user
// holds per template, and the user's last answer - shared by every instance. Book "mp" holds the
// mini program's grants (mp_subscribe, keyed by mp_openid), book "oa" the official account's
// (oa_subscribe, keyed by oa_openid). The rules of what changes a count live in
// notify/grant_ledger.h; the store applies them atomically: change() runs a rule on a locked
// row, take() spends one grant for a claimed outbox message in the same transaction that records
// the message's channel, so one grant never pays for two messages on any number of instances.
// The outbox row records the grant its claim spent (take()), so that the message's outcome and
// the grant's settlement - a refund, a zeroed entry - commit in one transaction
// (Notifications::retryLater/markFailed/markUnknown), and a dead sender's claim whose platform
// call never started gives its grant back as it goes back to pending
// (Notifications::recoverStale). Client reports with a report id are applied once per
// (mp_openid, report id) (applyReport).
// Reached through Store::subscriptions(). Writers: the /v1/subscriptions route, the subscribe
// event handlers, the outbox sender; readers: the sender's channel choice and GET
// /v1/subscriptions/{mp_openid}.
//
// Every method is thread-safe, takes times as Unix milliseconds from the caller's Clock, and
// throws StoreUnavailable or StoreError (store/store_error.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/store_error.h"

namespace wxb {

// The books: the mini program's grants (by mp_openid) and the official account's (by oa_openid).
inline constexpr const char* kMpBook = "mp";
inline constexpr const char* kOaBook = "oa";

// The most grants one entry holds: accepts and refunds beyond it add nothing (a runaway client
// cannot make the count meaningless).
inline constexpr int64_t kMaxGrantsPerTemplate = 1000;

// What happens to the grant a subscribe send spent, given the platform's answer
// (notify/grant_ledger.h grantAfterSend() decides).
enum class GrantAfterSend {
  Spent,   // delivered, or possibly delivered (no answer, an unreadable one, HTTP 5xx): the
           // grant is gone
  Refund,  // the platform answered and did not deliver (47003, 40037, 41030, 40003, -1, 45009,
           // HTTP 4xx ...): the grant is given back, up to kMaxGrantsPerTemplate, unless the
           // user banned the template since
  Zero,    // 43101: the platform holds no grant; the entry is set to zero
};

// Where one grant is kept: (book, openid, template_id).
struct GrantKey {
  std::string book;  // "mp" or "oa"
  std::string openid;
  std::string templateId;
};

// One (book, openid, template_id) of the ledger.
struct GrantRecord {
  std::string book;  // "mp" or "oa"
  std::string openid;
  std::string templateId;
  int64_t grants = 0;
  std::string lastAnswer;  // accept | reject | ban | filter; "" before the first
  int64_t lastAnswerAtMs = 0;
  int64_t updatedAtMs = 0;
};

// A change of one record: `rule` computes the new record from the stored one (it may run more
// than once - a lost lock race is retried - so it must only compute).
struct GrantUpdate {
  std::string book;
  std::string openid;
  std::string templateId;
  std::function<void(GrantRecord&)> rule;
};

class Db;
class Session;
struct SubscriptionsSql;

class Subscriptions {
 public:
  explicit Subscriptions(Db& db);

  // Runs `rule` on the record of (book, openid, templateId) - one with no grants when there is
  // none - while no other writer can change it, and stores what the rule made of it. The rule
  // may run more than once (a lost lock race is retried): it must only compute. Returns the
  // stored record.
  GrantRecord change(const std::string& book, const std::string& openid,
                     const std::string& templateId, const std::function<void(GrantRecord&)>& rule,
                     int64_t nowMs);
  GrantRecord change(const GrantUpdate& update, int64_t nowMs);
  // The same inside the caller's transaction `s` (CallbackStore::recordGrants: a push's dedup
  // row and its changes commit together).
  GrantRecord change(Session& s, const GrantUpdate& update, int64_t nowMs);

  // Every record of one user in one book, by template id.
  std::vector<GrantRecord> ofUser(const std::string& book, const std::string& openid);
  // The grants (book, openid, templateId) holds now; 0 when unknown.
  int64_t grants(const std::string& book, const std::string& openid, const std::string& templateId);

  // Spends one grant of `key` for outbox message `messageId`, which `owner` must still have
  // claimed, and records `channel` as the message's channel and `key` as the grant its claim
  // spent, in one transaction. False (nothing changed) when no grant is left or the claim was
  // lost.
  bool take(const GrantKey& key, int64_t messageId, const std::string& owner,
            const std::string& channel, int64_t nowMs);
  // Settles a grant a send spent as `how` says (Spent: nothing). On its own, or inside the
  // caller's transaction `s` (the outbox records the message's outcome with it).
  void settle(const GrantKey& key, GrantAfterSend how, int64_t nowMs);
  static void settle(Session& s, const GrantKey& key, GrantAfterSend how, int64_t nowMs);

  // Applies the changes of one client report (POST /v1/subscriptions) in one transaction and
  // returns its answer, answerOf(the stored records, in the order of `updates`). With a
  // reportId (not ""; the caller checked it), only once per (openid, reportId): the first call
  // stores its answer with the id; a later one with the same id changes nothing and returns
  // the first answer. Ids are kept until purgeReportsBefore() deletes them.
  std::string applyReport(
      const std::string& openid, const std::string& reportId,
      const std::vector<GrantUpdate>& updates,
      const std::function<std::string(const std::vector<GrantRecord>&)>& answerOf, int64_t nowMs);
  // Deletes up to maxRows report ids recorded before cutoffMs (the retention job). Returns how
  // many; fewer than maxRows: none are left.
  int64_t purgeReportsBefore(int64_t cutoffMs, int maxRows);

 private:
  Db& db_;
  const SubscriptionsSql& sql_;
};

}  // namespace wxb
