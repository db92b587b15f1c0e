// Subscriptions: the grant ledger of subscribe messages - how many one-time grants each user
// holds per template, and the user's last answer - shared by every instance. Book "mp" holds the
// mini program's grants (mp_subscribe, keyed by mp_openid), book "oa" the official account's
// (oa_subscribe, keyed by oa_openid). The rules of what changes a count live in
// notify/grant_ledger.h; the store applies them atomically: change() runs a rule on a locked
// row, take() spends one grant for a claimed outbox message in the same transaction that records
// the message's channel, so one grant never pays for two messages on any number of instances.
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

  // Spends one grant for outbox message `messageId`, which `owner` must still have claimed, and
  // records `channel` as the message's channel, in one transaction. False (nothing changed)
  // when no grant is left or the claim was lost.
  bool take(const std::string& book, const std::string& openid, const std::string& templateId,
            int64_t messageId, const std::string& owner, const std::string& channel, int64_t nowMs);
  // Gives one grant back (the platform did not deliver the message it paid for), up to `cap`.
  void refund(const std::string& book, const std::string& openid, const std::string& templateId,
              int64_t cap, int64_t nowMs);
  // The platform holds no grant (43101): the record's count becomes 0.
  void zero(const std::string& book, const std::string& openid, const std::string& templateId,
            int64_t nowMs);

 private:
  Db& db_;
  const SubscriptionsSql& sql_;
};

}  // namespace wxb
