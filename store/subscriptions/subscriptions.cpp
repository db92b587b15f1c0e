#include "store/subscriptions/subscriptions.h"

#include "store/db/db.h"
#include "store/db/purge_chunk.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

// The statements whose SQL differs by dialect.
struct SubscriptionsSql {
  Stmt<std::string, std::string, std::string, int64_t> ensureRow;  // book, openid, id, updated
  // Reads a record for a read-modify-write: locked on MySQL; SQLite's write transaction is
  // the lock.
  Stmt<std::string, std::string, std::string> lockRow;
  // A report id: inserts nothing when known. openid, report id, created at.
  Stmt<std::string, Text<128>, int64_t> addReport;
  // The first answer of a known report id (locked on MySQL, so a concurrent first waits).
  Stmt<std::string, Text<128>> reportAnswer;
};

namespace {

#define WXB_GRANT_COLUMNS                                                                 \
  "SELECT app, openid, template_id, grants, last_answer, last_answer_at, updated_at FROM" \
  " subscription_grants "
#define WXB_KEY " WHERE app = ? AND openid = ? AND template_id = ?"
#define WXB_ENSURE \
  " INTO subscription_grants(app, openid, template_id, updated_at) VALUES(?, ?, ?, ?)"
#define WXB_ADD_REPORT \
  " INTO subscription_reports(openid, report_id, answer, created_at) VALUES(?, ?, '', ?)"
#define WXB_REPORT_ANSWER \
  "SELECT answer FROM subscription_reports WHERE openid = ? AND report_id = ?"

const SubscriptionsSql kSqlite{
    "INSERT OR IGNORE" WXB_ENSURE,
    WXB_GRANT_COLUMNS WXB_KEY,
    "INSERT OR IGNORE" WXB_ADD_REPORT,
    WXB_REPORT_ANSWER,
};
const SubscriptionsSql kMysql{
    "INSERT IGNORE" WXB_ENSURE,
    WXB_GRANT_COLUMNS WXB_KEY " FOR UPDATE",
    "INSERT IGNORE" WXB_ADD_REPORT,
    WXB_REPORT_ANSWER " LOCK IN SHARE MODE",
};

const Stmt<int64_t, std::string, int64_t, int64_t, std::string, std::string, std::string>
    kStoreRow =
        "UPDATE subscription_grants SET grants = ?, last_answer = ?, last_answer_at = ?,"
        " updated_at = ?" WXB_KEY;
const Stmt<std::string, std::string> kOfUser =
    WXB_GRANT_COLUMNS "WHERE app = ? AND openid = ? ORDER BY template_id";
const Stmt<std::string, std::string, std::string> kGrants =
    "SELECT grants FROM subscription_grants" WXB_KEY;
const Stmt<int64_t, std::string, std::string, std::string> kTake =
    "UPDATE subscription_grants SET grants = grants - 1, updated_at = ?" WXB_KEY " AND grants > 0";
const Stmt<int64_t, std::string, std::string, std::string> kZero =
    "UPDATE subscription_grants SET grants = 0, updated_at = ?" WXB_KEY " AND grants <> 0";
// One grant back, up to the cap; a ban since the spend wins: the user switched the template
// off, so nothing is given back.
const Stmt<int64_t, int64_t, std::string, std::string, std::string> kRefund =
    "UPDATE subscription_grants SET grants = CASE WHEN grants < ? THEN grants + 1 ELSE grants END,"
    " updated_at = ?" WXB_KEY " AND last_answer <> 'ban'";
const Stmt<std::string, std::string, Text<128>> kStoreAnswer =
    "UPDATE subscription_reports SET answer = ? WHERE openid = ? AND report_id = ?";
const Stmt<int64_t, int> kOldReportIds =
    "SELECT id FROM subscription_reports WHERE created_at < ? ORDER BY id LIMIT ?";
const Stmt<int64_t> kDeleteReport = "DELETE FROM subscription_reports WHERE id = ?";

#undef WXB_GRANT_COLUMNS
#undef WXB_KEY
#undef WXB_ENSURE
#undef WXB_ADD_REPORT
#undef WXB_REPORT_ANSWER

// Thrown inside take()'s transaction to roll the spent grant back when the claim was lost.
struct ClaimLost {};

}  // namespace

template <>
struct RowReader<GrantRecord> {
  static GrantRecord read(const Row& r) {
    return GrantRecord{r.text(0), r.text(1),  r.text(2), r.int64(3),
                       r.text(4), r.int64(5), r.int64(6)};
  }
};

Subscriptions::Subscriptions(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

GrantRecord Subscriptions::change(const std::string& book, const std::string& openid,
                                  const std::string& templateId,
                                  const std::function<void(GrantRecord&)>& rule, int64_t nowMs) {
  return change(GrantUpdate{book, openid, templateId, rule}, nowMs);
}

GrantRecord Subscriptions::change(const GrantUpdate& update, int64_t nowMs) {
  return db_.transaction([&](Session& s) { return change(s, update, nowMs); });
}

GrantRecord Subscriptions::change(Session& s, const GrantUpdate& u, int64_t nowMs) {
  s.exec(sql_.ensureRow, u.book, u.openid, u.templateId, nowMs);
  auto record = s.queryOne<GrantRecord>(sql_.lockRow, u.book, u.openid, u.templateId);
  if (!record) throw StoreError("subscription_grants: the row just ensured is missing");
  u.rule(*record);
  record->updatedAtMs = nowMs;
  s.exec(kStoreRow, record->grants, record->lastAnswer, record->lastAnswerAtMs, nowMs, u.book,
         u.openid, u.templateId);
  return *record;
}

std::vector<GrantRecord> Subscriptions::ofUser(const std::string& book, const std::string& openid) {
  return db_.query<GrantRecord>(kOfUser, book, openid);
}

int64_t Subscriptions::grants(const std::string& book, const std::string& openid,
                              const std::string& templateId) {
  return db_.queryOne<int64_t>(kGrants, book, openid, templateId).value_or(0);
}

bool Subscriptions::take(const GrantKey& key, int64_t messageId, const std::string& owner,
                         const std::string& channel, int64_t nowMs) {
  try {
    return db_.transaction([&](Session& s) {
      if (s.exec(kTake, nowMs, key.book, key.openid, key.templateId) != 1) return false;
      if (s.exec(kSetOutboxChannel, channel, key.openid, key.book, key.openid, key.templateId,
                 nowMs, messageId, owner) != 1) {
        throw ClaimLost{};
      }
      return true;
    });
  } catch (const ClaimLost&) {
    return false;
  }
}

void Subscriptions::settle(const GrantKey& key, GrantAfterSend how, int64_t nowMs) {
  db_.session([&](Session& s) { settle(s, key, how, nowMs); });
}

void Subscriptions::settle(Session& s, const GrantKey& key, GrantAfterSend how, int64_t nowMs) {
  if (how == GrantAfterSend::Refund) {
    s.exec(kRefund, kMaxGrantsPerTemplate, nowMs, key.book, key.openid, key.templateId);
  } else if (how == GrantAfterSend::Zero) {
    s.exec(kZero, nowMs, key.book, key.openid, key.templateId);
  }
}

std::string Subscriptions::applyReport(
    const std::string& openid, const std::string& reportId, const std::vector<GrantUpdate>& updates,
    const std::function<std::string(const std::vector<GrantRecord>&)>& answerOf, int64_t nowMs) {
  return db_.transaction([&](Session& s) {
    if (!reportId.empty() && s.exec(sql_.addReport, openid, reportId, nowMs) != 1) {
      auto first = s.queryOne<std::string>(sql_.reportAnswer, openid, reportId);
      if (!first) throw StoreError("subscription_reports: a known report id has no row");
      return *first;
    }
    std::vector<GrantRecord> records;
    for (const auto& u : updates) records.push_back(change(s, u, nowMs));
    std::string answer = answerOf(records);
    if (!reportId.empty()) s.exec(kStoreAnswer, answer, openid, reportId);
    return answer;
  });
}

int64_t Subscriptions::purgeReportsBefore(int64_t cutoffMs, int maxRows) {
  return purgeChunk(db_, kOldReportIds, kDeleteReport, cutoffMs, maxRows);
}

}  // namespace wxb
