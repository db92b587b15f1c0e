// Every SQL statement of the SQLite notification store (store/sqlite_notify_store.h), in one
// place. All values are bound parameters.
#pragma once

namespace wxb::sqlite_notify_sql {

inline constexpr const char* kLastId = "SELECT last_insert_rowid()";

// --- events ---
inline constexpr const char* kAddEvent =
    "INSERT INTO events(event_id, unionid, type, actor, text, created_at)"
    " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING";
inline constexpr const char* kMarkReadAll =
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0";
inline constexpr const char* kMarkReadType =
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0 AND type = ?";
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
    " error, msgid, created_at, updated_at, sent_at FROM outbox WHERE id = ?";
inline constexpr const char* kEnqueue =
    "INSERT INTO outbox(idempotency_key, unionid, touser, template, payload, digest_run, state,"
    " due_at, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)"
    " ON CONFLICT(idempotency_key) DO NOTHING";
inline constexpr const char* kIdByKey = "SELECT id FROM outbox WHERE idempotency_key = ?";
inline constexpr const char* kSelectDue =
    "SELECT id FROM outbox WHERE due_at <= ? ORDER BY due_at, id LIMIT ?";
inline constexpr const char* kClaimOne =
    "UPDATE outbox SET state = 'sending', due_at = NULL, claimed_by = ?, claim_until = ?,"
    " attempts = attempts + 1, last_attempt_at = ?, updated_at = ? WHERE id = ?";
// Only claims past half their life are renewed (a busy sender's fresh claims cost nothing),
// and only recent ones (a claim its sender lost track of is left to expire and be recovered).
inline constexpr const char* kExtendClaims =
    "UPDATE outbox SET claim_until = ? WHERE state = 'sending' AND claimed_by = ?"
    " AND claim_until < ? AND last_attempt_at >= ?";
inline constexpr const char* kMarkSent =
    "UPDATE outbox SET state = 'sent', due_at = NULL, msgid = ?, errcode = 0, error = '',"
    " sent_at = ?, updated_at = ? WHERE id = ? AND state = 'sending' AND claimed_by = ?";
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
inline constexpr const char* kNextDue =
    "SELECT COALESCE(MIN(due_at), -1) FROM outbox WHERE due_at IS NOT NULL";

// --- send pauses ---
inline constexpr const char* kPause =
    "INSERT INTO send_pauses(api, until_at, reason, set_at) VALUES(?, ?, ?, ?)"
    " ON CONFLICT(api) DO UPDATE SET until_at = MAX(until_at, excluded.until_at),"
    " reason = excluded.reason, set_at = excluded.set_at";
inline constexpr const char* kPausedUntil =
    "SELECT until_at FROM send_pauses WHERE api = ? AND until_at > ?";

// --- digest runs ---
inline constexpr const char* kOpenRun =
    "INSERT INTO digest_runs(run_key, started_at) VALUES(?, ?) ON CONFLICT(run_key) DO NOTHING";
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

}  // namespace wxb::sqlite_notify_sql
