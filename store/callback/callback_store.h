// CallbackStore: what the platform's event push keeps (issue #13, docs/callback.md) - the dedup
// record of every push applied, the durable queue of work a push needs from the platform, the
// bind codes, and what a push changes in accounts and the outbox. Reached through
// Store::callback(). The callback route calls record() before it answers; the callback job
// worker (bridge/app/callback_worker.h) claims and finishes jobs; POST /v1/bind-codes issues
// codes; the retention job purges; /metrics reads the queue depth.
//
// record() is one transaction: the dedup row (a known key changes nothing and reports a
// duplicate - across instances, as the key is unique in the shared database), then the follow
// change (newest wins by time against the sync, like Accounts), the refusing mark, the bind and
// the receipt (only on the message sent to the push's FromUserName), and the jobs. Job claims are
// exclusive across processes (FOR UPDATE SKIP LOCKED on MySQL, SQLite's one writer) and fenced by
// owner, as the outbox's are.
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Times are Unix milliseconds from the caller's Clock (a push's own time is its CreateTime).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/subscriptions/subscriptions.h"
#include "wechat/callback/push_effects.h"

namespace wxb {

// What binding a scanned bind code did.
enum class BindOutcome { None, Bound, UnknownCode, Expired, Used, Conflict };
// "none", "bound", "unknown_code", "expired", "used", "conflict".
const char* bindOutcomeName(BindOutcome outcome);

// What a template receipt (TEMPLATESENDJOBFINISH) found: no receipt; the outbox row with its
// msgid sent to the push's FromUserName (applied); no row with that msgid yet (a receipt job
// waits for it); or rows with that msgid sent to other openids only - the platform pushes a
// receipt from its recipient, so it is not theirs: ignored, changing nothing (usertest4 F9).
enum class ReceiptMatch { None, Matched, NotYet, OtherRecipient };

struct PushRecordResult {
  bool duplicate = false;  // the key was known: nothing was changed
  BindOutcome bind = BindOutcome::None;
  ReceiptMatch receipt = ReceiptMatch::None;
  int jobs = 0;  // jobs queued
};

// Queue kinds.
inline constexpr const char* kJobUnionid = "unionid";  // user/info for openid, then link
inline constexpr const char* kJobReceipt = "receipt";  // a receipt whose msgid was not known yet

struct CallbackJob {
  int64_t id = 0;
  std::string kind;
  std::string openid;
  std::string payload;      // receipt: "<msgid> <delivery> <at ms>"; unionid: ""
  int attempts = 0;         // including the one just claimed
  int64_t createdAtMs = 0;  // when the push queued it (Unix ms)
};

struct BindCode {
  std::string scene;  // kBindScenePrefix + 24 characters of [A-Za-z0-9]
  std::string mpOpenid;
  int64_t expiresAtMs = 0;
  int64_t usedAtMs = 0;  // 0: not used
  std::string oaOpenid;  // who used it
};

// What one purgeBefore() deleted.
struct CallbackPurgeCounts {
  int64_t pushes = 0;
  int64_t bindCodes = 0;
  int64_t jobs = 0;  // given-up jobs
};

class Accounts;
class Db;
class Session;
struct CallbackSql;

class CallbackStore {
 public:
  CallbackStore(Db& db, Accounts& accounts, Subscriptions& subscriptions);

  // Records the push with `dedupKey` (64 hex digits) of kind `event` (pushKindName) received at
  // nowMs and applies `effects` in the same transaction; a known key changes nothing.
  PushRecordResult record(const std::string& dedupKey, const std::string& event,
                          const PushEffects& effects, int64_t nowMs);

  // Records the subscribe-message push with `dedupKey` of kind `event` at nowMs and applies
  // `updates` to the grant ledger in the same transaction (issue #15, /wechat/callback/mp).
  // Returns false, changing nothing, when the key is known (a duplicate).
  bool recordGrants(const std::string& dedupKey, const std::string& event,
                    const std::vector<GrantUpdate>& updates, int64_t nowMs);

  // The receipt (its msgid, delivery and time) pushed by `openid` (its FromUserName) on the
  // outbox row with that msgid whose touser is `openid`: Matched; NotYet when no row has the
  // msgid (yet); OtherRecipient, changing nothing, when only rows sent to others have it.
  ReceiptMatch applyReceipt(const std::string& openid, const DeliveryReceipt& receipt);

  // --- the job queue ---
  // Claims up to `limit` due jobs for `owner` until nowMs + claimTtlMs (attempts + 1), oldest
  // due first; rows another claimer holds are skipped, never waited for.
  std::vector<CallbackJob> claimJobs(const std::string& owner, int limit, int64_t nowMs,
                                     int64_t claimTtlMs);
  // Done: the job is deleted. false when `owner` no longer holds it.
  bool finishJob(int64_t id, const std::string& owner);
  // Back to the queue, due at nextAtMs, or given up (kept, never due) when nextAtMs is nullopt.
  bool retryJob(int64_t id, const std::string& owner, std::optional<int64_t> nextAtMs,
                const std::string& error, int64_t nowMs);
  // Back to the queue due at nowMs (Unix ms), the attempt its claim counted given back and its
  // last error kept: a worker stopping before the job ran, or while its call was cut short.
  // false when `owner` no longer holds it.
  bool putBackJob(int64_t id, const std::string& owner, int64_t nowMs);
  // Jobs waiting or claimed (not given up), and given up.
  int64_t jobDepth();
  int64_t jobsGivenUp();

  // --- bind codes ---
  void addBindCode(const BindCode& code, int64_t nowMs);
  std::optional<BindCode> bindCode(const std::string& scene);

  // Outbox rows by delivery state ("delivered", "blocked", "failed"), for /metrics.
  std::map<std::string, int64_t> deliveryCounts();

  // Deletes up to maxRows each: pushes received before pushCutoffMs, bind codes expired
  // before pushCutoffMs, jobs given up and last updated before pushCutoffMs.
  CallbackPurgeCounts purgeBefore(int64_t pushCutoffMs, int maxRows);

 private:
  void applyFollow(Session& s, const PushEffects& effects);
  BindOutcome bind(Session& s, const std::string& scene, const PushEffects& effects, int64_t nowMs);
  ReceiptMatch applyReceipt(Session& s, const std::string& openid, const DeliveryReceipt& receipt);
  void addJob(Session& s, const char* kind, const std::string& openid, const std::string& payload,
              int64_t nowMs);

  Db& db_;
  Accounts& accounts_;
  Subscriptions& subscriptions_;
  const CallbackSql& sql_;
};

}  // namespace wxb
