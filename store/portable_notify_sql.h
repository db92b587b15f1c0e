// SQL statements of the notification store that read the same in SQLite and MySQL, shared by
// both backends (store/sqlite_notify_sql.h and store/mysql_notify_sql.h add the rest: upserts,
// batches, claims and the last insert id). All values are bound parameters.
#pragma once

namespace wxb::portable_notify_sql {

// --- events ---
inline constexpr const char* kMarkReadAll =
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0";
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
// Followed by the dialect's WHERE clause.
inline constexpr const char* kMessageColumns =
    "SELECT id, idempotency_key, unionid, touser, template, payload, digest_run, state,"
    " attempts, COALESCE(due_at, -1), claimed_by, last_attempt_at, ambiguous_since, errcode,"
    " error, msgid, created_at, updated_at, sent_at FROM outbox ";
inline constexpr const char* kIdByKey = "SELECT id FROM outbox WHERE idempotency_key = ?";
// Only claims past half their life are renewed (a busy sender's fresh claims cost nothing),
// and only recent ones (a claim its sender lost track of is left to expire and be recovered).
inline constexpr const char* kExtendClaims =
    "UPDATE outbox SET claim_until = ? WHERE state = 'sending' AND claimed_by = ?"
    " AND claim_until < ? AND last_attempt_at >= ?";
inline constexpr const char* kMarkFailed =
    "UPDATE outbox SET state = 'failed', due_at = NULL, errcode = ?, error = ?, updated_at = ?"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
// An attempt without an answer may have been delivered: the first such attempt opens the
// dedup window that bounds every later resend.
inline constexpr const char* kRetryLater =
    "UPDATE outbox SET state = 'pending', due_at = ?, errcode = ?, error = ?, updated_at = ?,"
    " attempts = attempts - ?, ambiguous_since = CASE WHEN ? = 1 AND ambiguous_since = 0"
    " THEN last_attempt_at ELSE ambiguous_since END"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
inline constexpr const char* kMarkUnknown =
    "UPDATE outbox SET state = 'unknown', due_at = NULL, error = ?, updated_at = ?"
    " WHERE id = ? AND state = 'sending' AND claimed_by = ?";
inline constexpr const char* kRecoverClaims =
    "UPDATE outbox SET state = 'unknown', due_at = ?, updated_at = ?,"
    " ambiguous_since = CASE WHEN ambiguous_since = 0 THEN last_attempt_at"
    " ELSE ambiguous_since END,"
    " error = 'its sender stopped during the call: resending with the same client_msg_id'"
    " WHERE state = 'sending' AND claim_until < ?";
inline constexpr const char* kDepth = "SELECT state, COUNT(*) FROM outbox GROUP BY state";

// --- send pauses ---
inline constexpr const char* kPausedUntil =
    "SELECT until_at FROM send_pauses WHERE api = ? AND until_at > ?";

// --- digest runs ---
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

// --- retention (both take the cutoff time and the chunk size) ---
// Outbox rows that never change again, last updated before the cutoff: sent, failed, and unknown
// rows past resending. A due time marks a row still to be sent (sent and failed rows never have
// one), so the state list alone leaves the index ix_outbox_state_updated a plain range.
inline constexpr const char* kOldFinalMessageIds =
    "SELECT id FROM outbox WHERE state IN ('sent', 'failed', 'unknown') AND due_at IS NULL"
    " AND updated_at < ? LIMIT ?";
// Events read before the cutoff (read_at 0 is unread), through ix_events_unread.
inline constexpr const char* kOldReadEventIds =
    "SELECT id FROM events WHERE read_at > 0 AND read_at < ? LIMIT ?";

}  // namespace wxb::portable_notify_sql
