// Every SQL statement of the MySQL/MariaDB notification store (store/mysql_notify_store.h), in
// one place. All values are bound parameters; the only generated text is the number of "?"
// groups of a batch.
#pragma once

#include <string>

namespace wxb::mysql_notify_sql {

inline constexpr const char* kLastId = "SELECT LAST_INSERT_ID()";

// "(?, ?, ?)" for n = 3: the placeholder list of an IN clause.
inline std::string placeholders(size_t n) {
  std::string s = "(?";
  for (size_t i = 1; i < n; ++i) s += ", ?";
  return s + ")";
}

// --- events ---
// IGNORE: a duplicate event_id inserts nothing (and affects 0 rows whatever the client flags).
inline constexpr const char* kAddEvent =
    "INSERT IGNORE INTO events(event_id, unionid, type, actor, text, created_at)"
    " VALUES(?, ?, ?, ?, ?, ?)";
inline constexpr const char* kMarkReadAll =
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0";
inline std::string markReadTypes(size_t n) {
  return std::string(kMarkReadAll) + " AND type IN " + placeholders(n);
}
inline constexpr const char* kPageUnionids =
    "SELECT DISTINCT unionid FROM events WHERE read_at = 0 AND unionid > ?"
    " ORDER BY unionid LIMIT ?";
// Both take the unionid range [first, last] of a page (first = last for one account).
inline constexpr const char* kRangeCounts =
    "SELECT unionid, type, COUNT(*) FROM events WHERE read_at = 0 AND unionid >= ?"
    " AND unionid <= ? GROUP BY unionid, type ORDER BY unionid, type";
inline constexpr const char* kRangeLatest =
    "SELECT t.unionid, e.actor, e.text, COALESCE(a.oa_openid, ''), COALESCE(a.subscribed, 0)"
    " FROM (SELECT unionid, MAX(id) AS last_id FROM events WHERE read_at = 0 AND unionid >= ?"
    " AND unionid <= ? GROUP BY unionid) t JOIN events e ON e.id = t.last_id"
    " LEFT JOIN accounts a ON a.unionid = t.unionid ORDER BY t.unionid";

// --- outbox ---
inline constexpr const char* kMessageColumns =
    "SELECT id, idempotency_key, unionid, touser, template, payload, digest_run, state,"
    " attempts, COALESCE(due_at, -1), claimed_by, last_attempt_at, ambiguous_since, errcode,"
    " error, msgid, created_at, updated_at, sent_at FROM outbox ";
inline std::string messagesByIds(size_t n) {
  return std::string(kMessageColumns) + "WHERE id IN " + placeholders(n) + " ORDER BY id";
}
inline constexpr const char* kEnqueueRow = "(?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)";
// IGNORE: a known idempotency key inserts nothing; the affected rows count the new ones.
inline std::string enqueueRows(size_t n) {
  std::string s =
      "INSERT IGNORE INTO outbox(idempotency_key, unionid, touser, template, payload,"
      " digest_run, state, due_at, created_at, updated_at) VALUES ";
  for (size_t i = 0; i < n; ++i) s += (i ? ", " : "") + std::string(kEnqueueRow);
  return s;
}
inline constexpr const char* kIdByKey = "SELECT id FROM outbox WHERE idempotency_key = ?";
// SKIP LOCKED: rows another claimer is taking right now are passed over, not waited for.
inline std::string lockDue() {
  return std::string(kMessageColumns) +
         "WHERE due_at <= ? ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
}
inline std::string claimRows(size_t n) {
  return "UPDATE outbox SET state = 'sending', due_at = NULL, claimed_by = ?, claim_until = ?,"
         " attempts = attempts + 1, last_attempt_at = ?, updated_at = ? WHERE id IN " +
         placeholders(n);
}
// Only claims past half their life are renewed (a busy sender's fresh claims cost nothing),
// and only recent ones (a claim its sender lost track of is left to expire and be recovered).
inline constexpr const char* kExtendClaims =
    "UPDATE outbox SET claim_until = ? WHERE state = 'sending' AND claimed_by = ?"
    " AND claim_until < ? AND last_attempt_at >= ?";
// Parameters: sent_at, updated_at, n pairs (id, msgid), owner, n ids.
inline std::string markSentRows(size_t n) {
  std::string s =
      "UPDATE outbox SET state = 'sent', due_at = NULL, errcode = 0, error = '', sent_at = ?,"
      " updated_at = ?, msgid = CASE id";
  for (size_t i = 0; i < n; ++i) s += " WHEN ? THEN ?";
  return s + " END WHERE state = 'sending' AND claimed_by = ? AND id IN " + placeholders(n);
}
inline constexpr const char* kMarkFailed =
    "UPDATE outbox SET state = 'failed', due_at = NULL, errcode = ?, error = ?, updated_at = ?"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
// An attempt without an answer may have been delivered: the first such attempt opens the
// dedup window that bounds every later resend.
inline constexpr const char* kRetryLater =
    "UPDATE outbox SET state = 'pending', due_at = ?, errcode = ?, error = ?, updated_at = ?,"
    " attempts = attempts - ?, ambiguous_since = IF(? = 1 AND ambiguous_since = 0,"
    " last_attempt_at, ambiguous_since) WHERE id = ? AND state = 'sending' AND claimed_by = ?";
inline constexpr const char* kMarkUnknown =
    "UPDATE outbox SET state = 'unknown', due_at = NULL, error = ?, updated_at = ?"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
inline constexpr const char* kRecoverClaims =
    "UPDATE outbox SET state = 'unknown', due_at = ?, updated_at = ?,"
    " ambiguous_since = IF(ambiguous_since = 0, last_attempt_at, ambiguous_since),"
    " error = 'its sender stopped during the call: resending with the same client_msg_id'"
    " WHERE state = 'sending' AND claim_until < ?";
inline constexpr const char* kDepth = "SELECT state, COUNT(*) FROM outbox GROUP BY state";
inline constexpr const char* kNextDue = "SELECT COALESCE(MIN(due_at), -1) FROM outbox";

// --- send pauses ---
inline constexpr const char* kPause =
    "INSERT INTO send_pauses(api, until_at, reason, set_at) VALUES(?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE until_at = GREATEST(until_at, VALUES(until_at)),"
    " reason = VALUES(reason), set_at = VALUES(set_at)";
inline constexpr const char* kPausedUntil =
    "SELECT until_at FROM send_pauses WHERE api = ? AND until_at > ?";

// --- digest runs ---
inline constexpr const char* kOpenRun =
    "INSERT IGNORE INTO digest_runs(run_key, started_at) VALUES(?, ?)";
inline constexpr const char* kRunColumns =
    "SELECT id, run_key, enqueued, started_at, finished_at, accounts, messages, skipped"
    " FROM digest_runs ";
inline constexpr const char* kWhereRunKey = "WHERE run_key = ?";
inline constexpr const char* kWhereLatestRun = "ORDER BY id DESC LIMIT 1";
inline constexpr const char* kFinishRun =
    "UPDATE digest_runs SET enqueued = 1, finished_at = ?, accounts = ?, skipped = ?,"
    " messages = (SELECT COUNT(*) FROM outbox WHERE idempotency_key > ?"
    " AND idempotency_key < ?) WHERE id = ?";
// A run's messages are the key range "digest:<id>:" .. "digest:<id>;" (';' follows ':'), so
// the unique key index finds them without an index of its own.
inline constexpr const char* kOpenOfRun =
    "SELECT COUNT(*) FROM outbox WHERE idempotency_key > ? AND idempotency_key < ?"
    " AND (state IN ('pending', 'sending') OR (state = 'unknown' AND due_at IS NOT NULL))";

}  // namespace wxb::mysql_notify_sql
