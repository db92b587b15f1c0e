// Notifications: the outbox and its claims (store/notifications/notifications.h).
#include <algorithm>
#include <span>
#include <utility>

#include "store/db/db.h"
#include "store/notifications/notifications.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

namespace {

constexpr size_t kEnqueueChunk = 500;
constexpr int kSendClasses = 4;  // 0 direct, 1 reminder, 2 realtime, 3 digest

const Stmt<int64_t> kMessageById = WXB_MESSAGE_COLUMNS "WHERE id = ?";
const Stmt<std::string> kIdByKey = "SELECT id FROM outbox WHERE idempotency_key = ?";
// Only claims past half their life are renewed (a busy sender's fresh claims cost nothing),
// and only recent ones (a claim its sender lost track of is left to expire and be recovered).
const Stmt<int64_t, std::string, int64_t, int64_t> kExtendClaims =
    "UPDATE outbox SET claim_until = ? WHERE state = 'sending' AND claimed_by = ?"
    " AND claim_until < ? AND last_attempt_at >= ?";
const Stmt<int, Text<500>, int64_t, int64_t, std::string> kMarkFailed =
    "UPDATE outbox SET state = 'failed', due_at = NULL, errcode = ?, error = ?, updated_at = ?"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
// An attempt without an answer may have been delivered: the first such attempt opens the
// dedup window that bounds every later resend.
const Stmt<int64_t, int, Text<500>, int64_t, bool, bool, bool, int64_t, std::string> kRetryLater =
    "UPDATE outbox SET state = 'pending', due_at = ?, errcode = ?, error = ?, updated_at = ?,"
    " attempts = attempts - ?, ambiguous_since = CASE WHEN ? = 1 AND ambiguous_since = 0"
    " THEN last_attempt_at ELSE ambiguous_since END,"
    " channel = CASE WHEN ? = 1 THEN '' ELSE channel END"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
const Stmt<Text<500>, int64_t, int64_t, std::string> kMarkUnknown =
    "UPDATE outbox SET state = 'unknown', due_at = NULL, error = ?, updated_at = ?"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
const Stmt<Text<500>, int64_t, int64_t, std::string> kMarkNoChannel =
    "UPDATE outbox SET state = 'no_channel', due_at = NULL, errcode = 0, error = ?,"
    " updated_at = ? WHERE id = ? AND state = 'sending' AND claimed_by = ?";
const Stmt<int64_t, int64_t, std::string> kMarkCallStarted =
    "UPDATE outbox SET call_started_at = ? WHERE id = ? AND state = 'sending' AND claimed_by = ?";
const Stmt<int64_t, std::string, int64_t> kCallStartedBy =
    "SELECT COUNT(*) FROM outbox WHERE id = ? AND state = 'sending' AND claimed_by = ?"
    " AND call_started_at = ?";
// The grant a claim spent, as take() recorded it.
const Stmt<int64_t, std::string> kSpentGrant =
    "SELECT grant_app, grant_openid, grant_template FROM outbox WHERE id = ? AND state = 'sending'"
    " AND claimed_by = ? AND grant_template <> ''";
#define WXB_SUBSCRIBE_CHANNEL "channel IN ('mp_subscribe', 'oa_subscribe')"
// A dead sender's subscribe claims whose platform call never started: each goes back to pending
// with its grant given back, one transaction each (recoverStale).
const Stmt<int64_t> kUnstartedClaims =
    "SELECT id, claimed_by FROM outbox WHERE state = 'sending' AND claim_until < ?"
    " AND call_started_at = 0 AND " WXB_SUBSCRIBE_CHANNEL;
const Stmt<int64_t, int64_t, int64_t, std::string, int64_t> kReturnUnstarted =
    "UPDATE outbox SET state = 'pending', due_at = ?, updated_at = ?, attempts = attempts - 1,"
    " channel = '', error = 'its sender stopped before calling the platform (a grant it spent"
    " was given back): sending again' WHERE id = ? AND state = 'sending' AND claimed_by = ?"
    " AND claim_until < ? AND call_started_at = 0";
// The others, by the channel of the attempt the dead sender made: none chosen yet (''), a
// subscribe message whose call started (never resent: no client_msg_id), or a template message
// (resent with its client_msg_id).
const Stmt<int64_t, int64_t, int64_t> kRecoverClaims =
    "UPDATE outbox SET state = CASE WHEN channel = '' THEN 'pending' ELSE 'unknown' END,"
    " due_at = CASE WHEN " WXB_SUBSCRIBE_CHANNEL
    " THEN NULL ELSE ? END, updated_at = ?,"
    " attempts = CASE WHEN channel = '' THEN attempts - 1 ELSE attempts END,"
    " ambiguous_since = CASE WHEN channel = '' OR ambiguous_since <> 0 THEN ambiguous_since"
    " ELSE last_attempt_at END,"
    " error = CASE WHEN channel = '' THEN 'its sender stopped before sending: sending again'"
    " WHEN " WXB_SUBSCRIBE_CHANNEL
    " THEN 'its sender stopped during the call: a subscribe"
    " message is never resent (no client_msg_id), so its outcome stays unknown'"
    " ELSE 'its sender stopped during the call: resending with the same client_msg_id' END"
    " WHERE state = 'sending' AND claim_until < ? AND NOT (call_started_at = 0 "
    "AND " WXB_SUBSCRIBE_CHANNEL ")";
#undef WXB_SUBSCRIBE_CHANNEL
const Stmt<std::string> kSendsOn = "SELECT channel, used FROM send_budgets WHERE day = ?";
const Stmt<> kDepth = "SELECT state, COUNT(*) FROM outbox GROUP BY state";

struct StateCount {
  OutboxState state;
  int64_t count;
};

struct ChannelCount {
  std::string channel;
  int64_t count;
};

struct StaleClaim {
  int64_t id;
  std::string owner;
};

// Thrown inside a transaction to roll back a grant's settlement when the claim was lost.
struct ClaimLost {};

// Marks n sent messages in one statement. Parameters: sent_at, updated_at, n pairs (id, msgid),
// owner, n ids.
std::string markSentSql(size_t n) {
  std::string sql =
      "UPDATE outbox SET state = 'sent', due_at = NULL, errcode = 0, error = '', sent_at = ?,"
      " updated_at = ?, msgid = CASE id";
  for (size_t i = 0; i < n; ++i) sql += " WHEN ? THEN ?";
  return sql + " END WHERE state = 'sending' AND claimed_by = ? AND id IN " + placeholders(n);
}

// What the claim UPDATE wrote, applied to the rows read before it (saves reading them again).
void markClaimed(std::vector<OutboxMessage>& rows, const std::string& owner, int64_t nowMs) {
  for (auto& m : rows) {
    m.state = OutboxState::Sending;
    m.dueAtMs.reset();
    m.claimedBy = owner;
    m.attempts += 1;
    m.lastAttemptAtMs = nowMs;
    m.updatedAtMs = nowMs;
  }
}

}  // namespace

template <>
struct RowReader<OutboxMessage> {
  static OutboxMessage read(const Row& r) {
    OutboxMessage m;
    m.id = r.int64(0);
    m.idempotencyKey = r.text(1);
    m.unionid = r.text(2);
    m.touser = r.text(3);
    m.templateName = r.text(4);
    m.payload = r.text(5);
    m.digestRun = r.int64(6);
    m.state = parseOutboxState(r.text(7));
    m.attempts = r.integer(8);
    if (int64_t due = r.int64(9); due >= 0) m.dueAtMs = due;
    m.claimedBy = r.text(10);
    m.lastAttemptAtMs = r.int64(11);
    m.ambiguousSinceMs = r.int64(12);
    m.errcode = r.integer(13);
    m.error = r.text(14);
    m.msgid = r.int64(15);
    m.createdAtMs = r.int64(16);
    m.updatedAtMs = r.int64(17);
    m.sentAtMs = r.int64(18);
    m.channel = r.text(19);
    m.sendClass = r.integer(20);
    m.delivery = r.text(21);
    m.deliveryAtMs = r.int64(22);
    return m;
  }
};

template <>
struct RowReader<StateCount> {
  static StateCount read(const Row& r) { return {parseOutboxState(r.text(0)), r.int64(1)}; }
};

template <>
struct RowReader<ChannelCount> {
  static ChannelCount read(const Row& r) { return {r.text(0), r.int64(1)}; }
};

template <>
struct RowReader<StaleClaim> {
  static StaleClaim read(const Row& r) { return {r.int64(0), r.text(1)}; }
};

template <>
struct RowReader<GrantKey> {
  static GrantKey read(const Row& r) { return {r.text(0), r.text(1), r.text(2)}; }
};

namespace {

// Writes a claimed message's new state with `record` (1 row changed, or 0 when `owner` lost the
// claim) and settles the grant its claim spent as `grant` says, in one transaction: a lost claim
// changes neither. Without a settlement, just the write.
template <typename Record>
bool settled(Db& db, int64_t id, const std::string& owner, GrantAfterSend grant, int64_t nowMs,
             Record&& record) {
  if (grant == GrantAfterSend::Spent) return db.session(record) == 1;
  try {
    return db.transaction([&](Session& s) {
      if (auto key = s.queryOne<GrantKey>(kSpentGrant, id, owner)) {
        Subscriptions::settle(s, *key, grant, nowMs);
      }
      if (record(s) != 1) throw ClaimLost{};
      return true;
    });
  } catch (const ClaimLost&) {
    return false;
  }
}

}  // namespace

int64_t insertMessages(Session& s, const NotificationsSql& sql,
                       std::span<const NewMessage> messages, int64_t nowMs) {
  int64_t created = 0;
  for (size_t at = 0; at < messages.size(); at += kEnqueueChunk) {
    const size_t n = std::min(kEnqueueChunk, messages.size() - at);
    created += s.insertRows(sql.enqueue, messages.subspan(at, n), [&](const NewMessage& m) {
      using S = const std::string&;
      return std::tuple<S, S, S, S, S, int64_t, S, int, int64_t, int64_t, int64_t>(
          m.idempotencyKey, m.unionid, m.touser, m.templateName, m.payload, m.digestRun, m.channel,
          std::clamp(m.sendClass, 0, kSendClasses - 1), std::max(m.dueAtMs, nowMs), nowMs, nowMs);
    });
  }
  return created;
}

EnqueueResult Notifications::enqueue(const NewMessage& message, int64_t nowMs) {
  // A transaction: run again after a lost lock race, `created` still tells what this call did.
  return db_.transaction([&](Session& s) {
    EnqueueResult result;
    result.created = insertMessages(s, sql_, std::span(&message, 1), nowMs) == 1;
    auto id = s.queryOne<int64_t>(kIdByKey, message.idempotencyKey);
    if (!id) throw StoreError("outbox: the message just enqueued is missing");
    result.id = *id;
    return result;
  });
}

int64_t Notifications::enqueueMany(const std::vector<NewMessage>& messages, int64_t nowMs) {
  if (messages.empty()) return 0;
  return db_.transaction([&](Session& s) { return insertMessages(s, sql_, messages, nowMs); });
}

std::vector<OutboxMessage> Notifications::claim(const std::string& owner, int limit, int64_t nowMs,
                                                int64_t claimTtlMs) {
  // READ COMMITTED (MySQL): every row claimed is one the locking read locked and read at its
  // latest committed version, and the update writes those rows by primary key, so no gap lock
  // is needed. At REPEATABLE READ the read's next-key locks on ix_outbox_due made two claimers
  // deadlock as each claim's update moved its rows' due_at into the other's locked gap.
  auto claimed = db_.readCommittedTransaction([&](Session& s) {
    std::vector<OutboxMessage> rows;
    for (int c = 0; c < kSendClasses && static_cast<int>(rows.size()) < limit; ++c) {
      auto due =
          s.query<OutboxMessage>(sql_.lockDue, c, nowMs, limit - static_cast<int>(rows.size()));
      rows.insert(rows.end(), std::make_move_iterator(due.begin()),
                  std::make_move_iterator(due.end()));
    }
    if (rows.empty()) return rows;
    std::vector<int64_t> ids;
    for (const auto& m : rows) ids.push_back(m.id);
    s.execIn(sql_.claimRows, std::span(std::as_const(ids)), std::bit_ceil(ids.size()), owner,
             nowMs + claimTtlMs, nowMs, nowMs);
    return rows;
  });
  markClaimed(claimed, owner, nowMs);
  return claimed;
}

void Notifications::extendClaims(const std::string& owner, int64_t untilMs, int64_t renewBeforeMs,
                                 int64_t claimedSinceMs) {
  db_.exec(kExtendClaims, untilMs, owner, renewBeforeMs, claimedSinceMs);
}

int64_t Notifications::markSent(const std::vector<std::pair<int64_t, int64_t>>& sent,
                                const std::string& owner, int64_t nowMs) {
  if (sent.empty()) return 0;
  Params params;
  params.bindAll<int64_t, int64_t>(nowMs, nowMs);
  for (const auto& [id, msgid] : sent) params.bindAll<int64_t, int64_t>(id, msgid);
  params.bind<std::string>(owner);
  for (const auto& entry : sent) params.bind<int64_t>(entry.first);
  const std::string sql = markSentSql(sent.size());
  return db_.session([&](Session& s) { return s.execute(sql, params); });
}

bool Notifications::markFailed(int64_t id, const std::string& owner, int errcode,
                               const std::string& error, int64_t nowMs, GrantAfterSend grant) {
  return settled(db_, id, owner, grant, nowMs,
                 [&](Session& s) { return s.exec(kMarkFailed, errcode, error, nowMs, id, owner); });
}

bool Notifications::retryLater(int64_t id, const std::string& owner, const SendRetry& retry,
                               int64_t nowMs, GrantAfterSend grant) {
  return settled(db_, id, owner, grant, nowMs, [&](Session& s) {
    return s.exec(kRetryLater, retry.dueAtMs, retry.errcode, retry.error, nowMs,
                  retry.refundAttempt, retry.ambiguous, retry.clearChannel, id, owner);
  });
}

bool Notifications::markUnknown(int64_t id, const std::string& owner, const std::string& error,
                                int64_t nowMs, GrantAfterSend grant) {
  return settled(db_, id, owner, grant, nowMs,
                 [&](Session& s) { return s.exec(kMarkUnknown, error, nowMs, id, owner); });
}

bool Notifications::markCallStarted(int64_t id, const std::string& owner, int64_t nowMs) {
  if (db_.exec(kMarkCallStarted, nowMs, id, owner) == 1) return true;
  // MySQL counts changed rows: when the pool ran the UPDATE again after its answer was lost
  // (store/db/mysql_pool.h), the second run changed nothing and says 0 - though the mark, and
  // the claim, are ours. Read as "claim lost", the message would end unknown, never sent.
  return db_.queryOne<int64_t>(kCallStartedBy, id, owner, nowMs).value_or(0) == 1;
}

bool Notifications::markNoChannel(int64_t id, const std::string& owner, const std::string& reason,
                                  int64_t nowMs) {
  return db_.exec(kMarkNoChannel, reason, nowMs, id, owner) == 1;
}

bool Notifications::setChannel(int64_t id, const std::string& owner, const std::string& channel,
                               const std::string& touser, int64_t nowMs) {
  const std::string none;
  return db_.exec(kSetOutboxChannel, channel, touser, none, none, none, nowMs, id, owner) == 1;
}

void Notifications::countSends(const std::string& day,
                               const std::map<std::string, int64_t>& count) {
  if (count.empty()) return;
  // One transaction: a failure counts none of them, so the caller may add them all again.
  db_.transaction([&](Session& s) {
    for (const auto& [channel, n] : count) {
      if (n > 0) s.exec(sql_.countSends, channel, day, n);
    }
  });
}

std::map<std::string, int64_t> Notifications::sendsOn(const std::string& day) {
  std::map<std::string, int64_t> out;
  for (const auto& row : db_.query<ChannelCount>(kSendsOn, day)) out[row.channel] = row.count;
  return out;
}

int64_t Notifications::recoverStale(int64_t nowMs) {
  int64_t returned = 0;
  for (const StaleClaim& c : db_.query<StaleClaim>(kUnstartedClaims, nowMs)) {
    returned += settled(db_, c.id, c.owner, GrantAfterSend::Refund, nowMs, [&](Session& s) {
      return s.exec(kReturnUnstarted, nowMs, nowMs, c.id, c.owner, nowMs);
    });
  }
  return returned + db_.exec(kRecoverClaims, nowMs, nowMs, nowMs);
}

std::optional<OutboxMessage> Notifications::message(int64_t id) {
  return db_.queryOne<OutboxMessage>(kMessageById, id);
}

std::map<OutboxState, int64_t> Notifications::depthByState() {
  std::map<OutboxState, int64_t> depth;
  for (const auto& [state, count] : db_.query<StateCount>(kDepth)) depth[state] += count;
  return depth;
}

std::optional<int64_t> Notifications::nextDueMs() {
  const int64_t due = db_.queryOne<int64_t>(sql_.nextDue).value_or(-1);
  if (due < 0) return std::nullopt;
  return due;
}

}  // namespace wxb
