// The SQLite statements of the notification store (store/sqlite_notify_store.h);
// store/portable_notify_sql.h holds those both dialects share. All values are bound parameters.
#pragma once

#include <string>

#include "store/portable_notify_sql.h"

namespace wxb::sqlite_notify_sql {

using namespace wxb::portable_notify_sql;  // the statements both dialects share

// --- events ---
inline constexpr const char* kAddEvent =
    "INSERT INTO events(event_id, unionid, type, actor, text, created_at)"
    " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING";
inline constexpr const char* kMarkReadType =
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0 AND type = ?";

// --- outbox ---
inline const std::string kMessageById = std::string(kMessageColumns) + "WHERE id = ?";
inline constexpr const char* kEnqueue =
    "INSERT INTO outbox(idempotency_key, unionid, touser, template, payload, digest_run, state,"
    " due_at, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)"
    " ON CONFLICT(idempotency_key) DO NOTHING";
inline constexpr const char* kSelectDue =
    "SELECT id FROM outbox WHERE due_at <= ? ORDER BY due_at, id LIMIT ?";
inline constexpr const char* kClaimOne =
    "UPDATE outbox SET state = 'sending', due_at = NULL, claimed_by = ?, claim_until = ?,"
    " attempts = attempts + 1, last_attempt_at = ?, updated_at = ? WHERE id = ?";
inline constexpr const char* kMarkSent =
    "UPDATE outbox SET state = 'sent', due_at = NULL, msgid = ?, errcode = 0, error = '',"
    " sent_at = ?, updated_at = ? WHERE id = ? AND state = 'sending' AND claimed_by = ?";
inline constexpr const char* kNextDue =
    "SELECT COALESCE(MIN(due_at), -1) FROM outbox WHERE due_at IS NOT NULL";

// --- send pauses ---
inline constexpr const char* kPause =
    "INSERT INTO send_pauses(api, until_at, reason, set_at) VALUES(?, ?, ?, ?)"
    " ON CONFLICT(api) DO UPDATE SET until_at = MAX(until_at, excluded.until_at),"
    " reason = excluded.reason, set_at = excluded.set_at";

// --- digest runs ---
inline constexpr const char* kOpenRun =
    "INSERT INTO digest_runs(run_key, started_at) VALUES(?, ?) ON CONFLICT(run_key) DO NOTHING";

// --- retention: one chunk of what the shared queries find, in one statement ---
inline const std::string kPurgeMessages =
    "DELETE FROM outbox WHERE id IN (" + std::string(kOldFinalMessageIds) + ")";
inline const std::string kPurgeEvents =
    "DELETE FROM events WHERE id IN (" + std::string(kOldReadEventIds) + ")";

}  // namespace wxb::sqlite_notify_sql
