// NotificationsSql: the notification statements whose SQL differs by dialect, one table per
// dialect (notify_sql.cpp), shared by the files that implement Notifications. The statements
// both dialects write the same way sit in the file that uses them. Internal to store/.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "store/db/statement.h"
#include "store/notifications/notifications.h"

namespace wxb {

class Session;

struct NotificationsSql {
  // A duplicate event_id inserts nothing and changes no row. Per row: event_id, unionid, type,
  // actor, text, created at, the event's real-time marker (events.notice: kEventHeld or
  // kEventNotRealtime).
  RowsStmt<std::string, std::string, std::string, Text<256>, Text<256>, int64_t, int64_t> addEvents;
  // A known idempotency key inserts nothing; the changed rows count the new ones. Per row:
  // key, unionid, touser, template, payload, digest run, channel, send class, due, created,
  // updated.
  RowsStmt<std::string, std::string, std::string, std::string, std::string, int64_t, std::string,
           int, int64_t, int64_t, int64_t>
      enqueue;
  // The due rows of one send class (send_class = ?, due_at <= ?, oldest first, LIMIT ?) a claim
  // takes, locked for its transaction: FOR UPDATE SKIP LOCKED on MySQL, so claimers pass over
  // each other's rows instead of waiting; SQLite's write transaction has one writer.
  Stmt<int, int64_t, int> lockDue;
  Stmt<> nextDue;  // the earliest due_at, -1 when none
  // An earlier pause never shortens a later one. api, until, reason, set at.
  Stmt<std::string, int64_t, Text<250>, int64_t> pause;
  Stmt<std::string, int64_t> openRun;  // run key, started at; an existing key inserts nothing
  Stmt<std::string, std::string, int64_t> countSends;  // channel, day, sends to add
  // Claims the rows of the list (by id) for a sender: owner, claim until, last attempt,
  // updated, then the ids. On MySQL through the primary key (FORCE INDEX): MariaDB scans a
  // small table instead, locking every row and waiting for the uncommitted ones (the notices'
  // statements in store/notices/notices.cpp say more).
  InStmt<int64_t, std::string, int64_t, int64_t, int64_t> claimRows;
};

// This dialect's table (Db::dialect().pick of the two).
const NotificationsSql& sqliteNotificationsSql();
const NotificationsSql& mysqlNotificationsSql();

// Inserts `messages` (pending, due at each one's dueAtMs or nowMs if later; Unix ms) into the
// outbox on `session`, 500 rows a statement, so a caller's transaction can enqueue with its own
// writes (the schedule engine, the real-time notices in store/notices/). A known idempotency key
// inserts nothing. Returns how many rows were new.
int64_t insertMessages(Session& session, const NotificationsSql& sql,
                       std::span<const NewMessage> messages, int64_t nowMs);

// Inserts `events` with the real-time `marker` on `session`, multi-row; a known event_id
// inserts nothing. Returns how many rows were new.
int64_t insertEvents(Session& session, const NotificationsSql& sql,
                     std::span<const NotifyEvent> events, int64_t marker);

// Records the channel of a claimed message, the openid it is sent to there (touser: a template
// receipt must come from it, store/callback/callback_store.h) and the grant its claim spent
// (channel, touser, grant app, openid, template id - "" for none -, updated at, id, owner):
// changes nothing when `owner` no longer holds the claim. Shared with the grant ledger, whose
// take() spends a grant in the same transaction (store/subscriptions/subscriptions.h).
extern const Stmt<std::string, std::string, std::string, std::string, std::string, int64_t, int64_t,
                  std::string>
    kSetOutboxChannel;

// Followed by a WHERE clause: every column of OutboxMessage, in its reader's order.
#define WXB_MESSAGE_COLUMNS                                                                 \
  "SELECT id, idempotency_key, unionid, touser, template, payload, digest_run, state,"      \
  " attempts, COALESCE(due_at, -1), claimed_by, last_attempt_at, ambiguous_since, errcode," \
  " error, msgid, created_at, updated_at, sent_at, channel, send_class, delivery,"          \
  " delivery_at FROM outbox "

}  // namespace wxb
