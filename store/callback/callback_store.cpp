#include "store/callback/callback_store.h"

#include <algorithm>
#include <string>

#include "store/accounts/accounts.h"
#include "store/accounts/follow_sql.h"
#include "store/accounts/link_sql.h"
#include "store/db/db.h"
#include "store/db/purge_chunk.h"

namespace wxb {

// The statements whose SQL differs by dialect.
struct CallbackSql {
  Stmt<std::string, std::string, int64_t> addPush;  // a known key inserts nothing
  // The due jobs a claim takes (next_attempt_at <= ?, oldest first, LIMIT ?), locked for its
  // transaction: FOR UPDATE SKIP LOCKED on MySQL, as the outbox claim.
  Stmt<int64_t, int> lockDue;
  // The receipt on the outbox row with its msgid sent to its openid (one row at most):
  // delivery, at, msgid, touser.
  Stmt<std::string, int64_t, int64_t, std::string> setDelivery;
  // A claim moves the job's due time to the claim's end: a job whose worker died is due again
  // then, with no recovery pass. Parameters: due (claim end), owner, updated; then the ids. On
  // MySQL through the primary key by name (docs/notify.md "Locks": a scan would wait for every
  // uncommitted new job it meets).
  InStmt<int64_t, int64_t, std::string, int64_t> claimJobs;
};

namespace {

#define WXB_ADD_PUSH " INTO callback_pushes(dedup_key, event, received_at) VALUES(?, ?, ?)"
#define WXB_DUE_JOBS                                                          \
  "SELECT id, kind, openid, payload, attempts, created_at FROM callback_jobs" \
  " WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"
#define WXB_SET_DELIVERY "UPDATE outbox SET delivery = ?, delivery_at = ? WHERE "
#define WXB_CLAIM_JOBS(BY_KEY)                                                          \
  {                                                                                     \
    "UPDATE callback_jobs" BY_KEY                                                       \
    " SET next_attempt_at = ?, claimed_by = ?, attempts = attempts + 1, updated_at = ?" \
    " WHERE id IN ",                                                                    \
        ""                                                                              \
  }
const CallbackSql kSqlite{
    "INSERT" WXB_ADD_PUSH " ON CONFLICT(dedup_key) DO NOTHING",
    WXB_DUE_JOBS,
    WXB_SET_DELIVERY "id = (SELECT id FROM outbox WHERE msgid = ? AND touser = ? LIMIT 1)",
    WXB_CLAIM_JOBS(""),
};
const CallbackSql kMysql{
    "INSERT IGNORE" WXB_ADD_PUSH,
    WXB_DUE_JOBS " FOR UPDATE SKIP LOCKED",
    WXB_SET_DELIVERY "msgid = ? AND touser = ? LIMIT 1",
    WXB_CLAIM_JOBS(" FORCE INDEX (PRIMARY)"),
};
#undef WXB_CLAIM_JOBS
#undef WXB_SET_DELIVERY
#undef WXB_ADD_PUSH
#undef WXB_DUE_JOBS

const Stmt<int64_t> kRecipientsOfMsgid = "SELECT touser FROM outbox WHERE msgid = ?";
const Stmt<> kDeliveryCounts =
    "SELECT delivery, COUNT(*) FROM outbox WHERE delivery <> '' GROUP BY delivery";

const Stmt<std::string, std::string, std::string, int64_t, int64_t, int64_t> kAddJob =
    "INSERT INTO callback_jobs(kind, openid, payload, next_attempt_at, created_at, updated_at)"
    " VALUES(?, ?, ?, ?, ?, ?)";
const Stmt<int64_t, std::string> kFinishJob =
    "DELETE FROM callback_jobs WHERE id = ? AND claimed_by = ?";
#define WXB_RETRY_JOB \
  " claimed_by = '', last_error = ?, updated_at = ? WHERE id = ? AND claimed_by = ?"
const Stmt<int64_t, Text<500>, int64_t, int64_t, std::string> kRetryJob =
    "UPDATE callback_jobs SET next_attempt_at = ?," WXB_RETRY_JOB;
const Stmt<Text<500>, int64_t, int64_t, std::string> kGiveUpJob =
    "UPDATE callback_jobs SET next_attempt_at = NULL," WXB_RETRY_JOB;
#undef WXB_RETRY_JOB
const Stmt<int64_t, int64_t, int64_t, std::string> kPutBackJob =
    "UPDATE callback_jobs SET next_attempt_at = ?, attempts = attempts - 1, claimed_by = '',"
    " updated_at = ? WHERE id = ? AND claimed_by = ?";
const Stmt<> kJobDepth = "SELECT COUNT(*) FROM callback_jobs WHERE next_attempt_at IS NOT NULL";
const Stmt<> kJobsGivenUp = "SELECT COUNT(*) FROM callback_jobs WHERE next_attempt_at IS NULL";

const Stmt<std::string, std::string, int64_t, int64_t> kAddBindCode =
    "INSERT INTO bind_codes(scene, mp_openid, expires_at, created_at) VALUES(?, ?, ?, ?)";
const Stmt<std::string> kBindCode =
    "SELECT scene, mp_openid, expires_at, used_at, oa_openid FROM bind_codes WHERE scene = ?";
const Stmt<int64_t, std::string, std::string> kUseBindCode =
    "UPDATE bind_codes SET used_at = ?, oa_openid = ? WHERE scene = ? AND used_at = 0";

const Stmt<int64_t> kDeleteAccount = "DELETE FROM accounts WHERE id = ?";
const Stmt<std::string, std::string, int64_t> kBindFollower =
    "UPDATE accounts SET mp_openid = ?, unionid = COALESCE(unionid, NULLIF(?, '')) WHERE id = ?";

const Stmt<int64_t, int> kOldPushKeys =
    "SELECT dedup_key FROM callback_pushes WHERE received_at < ? LIMIT ?";
const Stmt<std::string> kDeletePush = "DELETE FROM callback_pushes WHERE dedup_key = ?";
const Stmt<int64_t, int> kOldBindScenes =
    "SELECT scene FROM bind_codes WHERE expires_at < ? LIMIT ?";
const Stmt<std::string> kDeleteBindCode = "DELETE FROM bind_codes WHERE scene = ?";
const Stmt<int64_t, int> kOldGivenUpJobs =
    "SELECT id FROM callback_jobs WHERE next_attempt_at IS NULL AND updated_at < ? LIMIT ?";
const Stmt<int64_t> kDeleteJob = "DELETE FROM callback_jobs WHERE id = ?";

struct DeliveryCount {
  std::string delivery;
  int64_t count = 0;
};

std::string receiptPayload(const DeliveryReceipt& r) {
  return std::to_string(r.msgId) + " " + templateDeliveryName(r.delivery) + " " +
         std::to_string(r.atMs);
}

}  // namespace

template <>
struct RowReader<CallbackJob> {
  static CallbackJob read(const Row& r) {
    return CallbackJob{r.int64(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.int64(5)};
  }
};

template <>
struct RowReader<BindCode> {
  static BindCode read(const Row& r) {
    return BindCode{r.text(0), r.text(1), r.int64(2), r.int64(3), r.text(4)};
  }
};

template <>
struct RowReader<DeliveryCount> {
  static DeliveryCount read(const Row& r) { return DeliveryCount{r.text(0), r.int64(1)}; }
};

const char* bindOutcomeName(BindOutcome outcome) {
  switch (outcome) {
    case BindOutcome::None:
      return "none";
    case BindOutcome::Bound:
      return "bound";
    case BindOutcome::UnknownCode:
      return "unknown_code";
    case BindOutcome::Expired:
      return "expired";
    case BindOutcome::Used:
      return "used";
    case BindOutcome::Conflict:
      return "conflict";
  }
  return "none";
}

CallbackStore::CallbackStore(Db& db, Accounts& accounts, Subscriptions& subscriptions)
    : db_(db),
      accounts_(accounts),
      subscriptions_(subscriptions),
      sql_(db.dialect().pick(kSqlite, kMysql)) {}

PushRecordResult CallbackStore::record(const std::string& dedupKey, const std::string& event,
                                       const PushEffects& effects, int64_t nowMs) {
  return db_.transaction([&](Session& s) {
    PushRecordResult result;
    if (s.exec(sql_.addPush, dedupKey, event, nowMs) == 0) {
      result.duplicate = true;
      return result;
    }
    applyFollow(s, effects);
    if (effects.bindScene) result.bind = bind(s, *effects.bindScene, effects, nowMs);
    if (effects.receipt) {
      result.receipt = applyReceipt(s, effects.openid, *effects.receipt);
      if (result.receipt == ReceiptMatch::NotYet) {
        addJob(s, kJobReceipt, effects.openid, receiptPayload(*effects.receipt), nowMs);
        ++result.jobs;
      }
    }
    if (effects.refusesTemplates && effects.receipt &&
        result.receipt != ReceiptMatch::OtherRecipient) {
      accounts_.markRefusing(s, effects.openid, effects.receipt->atMs);
    }
    if (effects.fetchUnionid) {
      addJob(s, kJobUnionid, effects.openid, "", nowMs);
      ++result.jobs;
    }
    return result;
  });
}

bool CallbackStore::recordGrants(const std::string& dedupKey, const std::string& event,
                                 const std::vector<GrantUpdate>& updates, int64_t nowMs) {
  return db_.transaction([&](Session& s) {
    if (s.exec(sql_.addPush, dedupKey, event, nowMs) == 0) return false;
    for (const auto& update : updates) subscriptions_.change(s, update, nowMs);
    return true;
  });
}

void CallbackStore::applyFollow(Session& s, const PushEffects& effects) {
  if (!effects.follow) return;
  if (effects.follow->subscribed) {
    const int64_t at = effects.follow->atMs;
    s.exec(followStatement(db_.dialect()), effects.openid, at, at);
  } else {
    accounts_.setSubscribed(s, effects.openid, false, effects.follow->atMs);
  }
}

// Binds the follower to the code's MP user: the MP user's row is merged into the follower's
// (its mp_openid and unionid move over). A follower already bound to another MP user, an MP
// user already bound to another follower, or two different unionids, bind nobody. A SCAN
// comes from a follower: one never seen is recorded as following at the scan's time.
BindOutcome CallbackStore::bind(Session& s, const std::string& scene, const PushEffects& effects,
                                int64_t nowMs) {
  auto code = s.queryOne<BindCode>(kBindCode, scene);
  if (!code) return BindOutcome::UnknownCode;
  if (code->usedAtMs != 0) return BindOutcome::Used;
  if (code->expiresAtMs <= nowMs) return BindOutcome::Expired;
  // Binding reads the two rows it may merge by id.
  const auto& byOaOpenid = accountIdsBy(AccountKey::OaOpenid);
  if (!s.queryOne<AccountIds>(byOaOpenid, effects.openid)) {
    accounts_.setSubscribed(s, effects.openid, true, effects.atMs);
  }
  auto follower = s.queryOne<AccountIds>(byOaOpenid, effects.openid);
  auto mpUser = s.queryOne<AccountIds>(accountIdsBy(AccountKey::MpOpenid), code->mpOpenid);
  if (!follower) throw StoreError("bind: the follower row vanished");
  if (mpUser && mpUser->id != follower->id) {
    const bool otherUnionid = !mpUser->unionid.empty() && !follower->unionid.empty() &&
                              mpUser->unionid != follower->unionid;
    if (!mpUser->oaOpenid.empty() || !follower->mpOpenid.empty() || otherUnionid) {
      return BindOutcome::Conflict;
    }
    s.exec(kDeleteAccount, mpUser->id);
    s.exec(kBindFollower, code->mpOpenid, mpUser->unionid, follower->id);
  } else if (!mpUser) {
    if (!follower->mpOpenid.empty()) return BindOutcome::Conflict;
    s.exec(kBindFollower, code->mpOpenid, std::string(), follower->id);
  }
  s.exec(kUseBindCode, nowMs, effects.openid, scene);
  return BindOutcome::Bound;
}

// One statement when the row is there (the usual case); a row the UPDATE did not change - none
// with that msgid, one sent to another openid, or MySQL's "0 changed" for a row that already
// holds these values - is told apart by a read.
ReceiptMatch CallbackStore::applyReceipt(Session& s, const std::string& openid,
                                         const DeliveryReceipt& receipt) {
  if (receipt.msgId == 0) return ReceiptMatch::NotYet;
  const std::string delivery = templateDeliveryName(receipt.delivery);
  if (s.exec(sql_.setDelivery, delivery, receipt.atMs, receipt.msgId, openid) > 0) {
    return ReceiptMatch::Matched;
  }
  const auto recipients = s.query<std::string>(kRecipientsOfMsgid, receipt.msgId);
  if (recipients.empty()) return ReceiptMatch::NotYet;
  return std::ranges::find(recipients, openid) != recipients.end() ? ReceiptMatch::Matched
                                                                   : ReceiptMatch::OtherRecipient;
}

ReceiptMatch CallbackStore::applyReceipt(const std::string& openid,
                                         const DeliveryReceipt& receipt) {
  return db_.transaction([&](Session& s) { return applyReceipt(s, openid, receipt); });
}

void CallbackStore::addJob(Session& s, const char* kind, const std::string& openid,
                           const std::string& payload, int64_t nowMs) {
  s.exec(kAddJob, std::string(kind), openid, payload, nowMs, nowMs, nowMs);
}

std::vector<CallbackJob> CallbackStore::claimJobs(const std::string& owner, int limit,
                                                  int64_t nowMs, int64_t claimTtlMs) {
  auto claimed = db_.transaction([&](Session& s) {
    auto jobs = s.query<CallbackJob>(sql_.lockDue, nowMs, limit);
    if (jobs.empty()) return jobs;
    std::vector<int64_t> ids;
    for (const auto& j : jobs) ids.push_back(j.id);
    s.execIn(sql_.claimJobs, std::span(std::as_const(ids)), std::bit_ceil(ids.size()),
             nowMs + claimTtlMs, owner, nowMs);
    return jobs;
  });
  for (auto& j : claimed) j.attempts += 1;
  return claimed;
}

bool CallbackStore::finishJob(int64_t id, const std::string& owner) {
  return db_.exec(kFinishJob, id, owner) == 1;
}

bool CallbackStore::retryJob(int64_t id, const std::string& owner, std::optional<int64_t> nextAtMs,
                             const std::string& error, int64_t nowMs) {
  if (!nextAtMs) return db_.exec(kGiveUpJob, error, nowMs, id, owner) == 1;
  return db_.exec(kRetryJob, *nextAtMs, error, nowMs, id, owner) == 1;
}

bool CallbackStore::putBackJob(int64_t id, const std::string& owner, int64_t nowMs) {
  return db_.exec(kPutBackJob, nowMs, nowMs, id, owner) == 1;
}

int64_t CallbackStore::jobDepth() { return db_.queryOne<int64_t>(kJobDepth).value_or(0); }

int64_t CallbackStore::jobsGivenUp() { return db_.queryOne<int64_t>(kJobsGivenUp).value_or(0); }

void CallbackStore::addBindCode(const BindCode& code, int64_t nowMs) {
  db_.exec(kAddBindCode, code.scene, code.mpOpenid, code.expiresAtMs, nowMs);
}

std::optional<BindCode> CallbackStore::bindCode(const std::string& scene) {
  return db_.queryOne<BindCode>(kBindCode, scene);
}

std::map<std::string, int64_t> CallbackStore::deliveryCounts() {
  std::map<std::string, int64_t> counts;
  for (auto& row : db_.query<DeliveryCount>(kDeliveryCounts)) counts[row.delivery] = row.count;
  return counts;
}

CallbackPurgeCounts CallbackStore::purgeBefore(int64_t pushCutoffMs, int maxRows) {
  CallbackPurgeCounts purged;
  purged.pushes = purgeChunk(db_, kOldPushKeys, kDeletePush, pushCutoffMs, maxRows);
  purged.bindCodes = purgeChunk(db_, kOldBindScenes, kDeleteBindCode, pushCutoffMs, maxRows);
  purged.jobs = purgeChunk(db_, kOldGivenUpJobs, kDeleteJob, pushCutoffMs, maxRows);
  return purged;
}

}  // namespace wxb
