// The MySQL/MariaDB statements of the notification store (store/mysql_notify_store.h);
// store/portable_notify_sql.h holds those both dialects share. All values are bound parameters;
// the only generated text is the number of "?" groups of a batch.
#pragma once

#include <string>

#include "store/portable_notify_sql.h"

namespace wxb::mysql_notify_sql {

using namespace wxb::portable_notify_sql;  // the statements both dialects share

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
inline std::string markReadTypes(size_t n) {
  return std::string(kMarkReadAll) + " AND type IN " + placeholders(n);
}

// --- outbox ---
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
// Parameters: sent_at, updated_at, n pairs (id, msgid), owner, n ids.
inline std::string markSentRows(size_t n) {
  std::string s =
      "UPDATE outbox SET state = 'sent', due_at = NULL, errcode = 0, error = '', sent_at = ?,"
      " updated_at = ?, msgid = CASE id";
  for (size_t i = 0; i < n; ++i) s += " WHEN ? THEN ?";
  return s + " END WHERE state = 'sending' AND claimed_by = ? AND id IN " + placeholders(n);
}
// Without a WHERE: MIN over the due_at index is one index dive.
inline constexpr const char* kNextDue = "SELECT COALESCE(MIN(due_at), -1) FROM outbox";

// --- send pauses ---
inline constexpr const char* kPause =
    "INSERT INTO send_pauses(api, until_at, reason, set_at) VALUES(?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE until_at = GREATEST(until_at, VALUES(until_at)),"
    " reason = VALUES(reason), set_at = VALUES(set_at)";

// --- digest runs ---
inline constexpr const char* kOpenRun =
    "INSERT IGNORE INTO digest_runs(run_key, started_at) VALUES(?, ?)";

// --- retention ---
// The rows a plain (non-locking) read found with kOldFinalMessageIds or kOldReadEventIds,
// deleted by primary key: only they are locked, never a range new rows go into. They are still
// final: a final message or a read event never changes again.
inline std::string deleteMessages(size_t n) {
  return "DELETE FROM outbox WHERE id IN " + placeholders(n);
}
inline std::string deleteEvents(size_t n) {
  return "DELETE FROM events WHERE id IN " + placeholders(n);
}

}  // namespace wxb::mysql_notify_sql
