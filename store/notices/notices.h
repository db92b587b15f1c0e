// Notices: what the real-time notice rules (notify/notice_window.h) keep in the store - each
// user's window (open until, notices sent so far, when the held events next fall due), the
// held/announced marker of every real-time event (events.notice), and each user's preferences
// (PUT /v1/accounts/{unionid}/preferences). Reached through Store::notices(). Writers: the
// /v1/events route (addHeldEvent), the notice engine (notify/notice_engine.h, through decideDue),
// the digest (enqueueDigest) and the preference routes; readers `wxbridge notice
// --dry-run` and the digest (preferences).
//
// Exactly once across instances: decideDue() claims due users in one transaction - the rows of
// notice_windows found through the index on due_at, then locked through the primary key FOR
// UPDATE SKIP LOCKED on MySQL (so instances pass over each other's users), SQLite's single
// writer otherwise - and writes the
// decision (the outbox message, the events' markers, the new window) in that same transaction.
// A process killed at any point leaves either the whole decision or none of it; the message's
// idempotency key (realtime:<unionid>:<notice number>) makes a second insert a no-op.
//
// Locks (MySQL; SQLite has one writer at a time). One order for every writer of a user's held
// events: the user's notice_windows row first, then the user's events. The intake (addHeldEvents)
// files its users due (an upsert of their windows, in unionid order) before it inserts their
// events; a decision claims its users' windows (FOR UPDATE SKIP LOCKED through the primary key, in
// unionid order) before it reads and marks their events; the digest (enqueueDigest) locks its
// users' windows (unionid order) before it marks their events. A claim never waits for a window
// (SKIP LOCKED), and marks events by primary key only (FORCE INDEX: never a scan, so it locks only
// the committed events it read); so a decision waits for nobody's intake, intake batches wait
// for a claim only on a window, and no cycle can form between them.
// These three run at READ COMMITTED (Db::readCommittedTransaction): they take no gap locks, so a
// claim never blocks an intake inserting a new user's window or events next to the rows it
// holds. Why that is still exact: while a transaction holds a user's window row, no other
// writer can add, announce or mark that user's held events (each must lock the row first), so
// what a decision reads about the user after locking the row - each statement seeing the latest
// committed rows - is what it writes over; the window row itself (the notice number that keys
// the message, window_end, due_at) is read by the locking read, which reads the latest committed
// version under REPEATABLE READ too.
// The digest is different: its message counts what an earlier read (Notifications::unreadPage)
// saw, before it took the windows, and an intake may commit in between (even while the digest
// waits for the window). So it marks by id, not by time: only the user's held events up to the
// highest held id that read counted (UnreadSummary::heldUpToId). That is exact because a user's
// held events get their ids in commit order: each intake inserts them while it holds the user's
// window row (or waits on the duplicate key of the new row), so one that commits later got its
// ids later (InnoDB's auto-increment and SQLite's rowid only grow; SQLite has one writer), and a
// held event the read did not see has a larger id than every one it saw. Marking events read
// (read_at) takes no window lock at either level: a read committed after the decision read the
// events counts at the next decision, as the rules say (docs/notify.md). The unread counts
// ({{unread}}) are read before the held events: no held event can be added in between and a
// read only takes one away, so {{unread}} is never below {{total}} (notify/notice_engine.cpp).
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Times are Unix milliseconds from the caller's Clock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/db/batcher.h"
#include "store/notifications/notifications.h"

namespace wxb {

// A user's preferences as they set them; an absent field follows the configuration.
struct Preferences {
  std::optional<std::string> timezone;                 // an IANA zone name, e.g. "Europe/Berlin"
  std::optional<std::string> quietHours;               // "HH:MM-HH:MM", or "" for none
  std::optional<std::vector<std::string>> mutedTypes;  // event types, each configured
  std::optional<bool> digest;                          // false: no daily digest

  bool operator==(const Preferences&) const = default;
};

// One user's window, as the store keeps it.
struct NoticeWindow {
  int64_t endMs = 0;    // a window is open before this instant; 0 never opened
  int64_t notices = 0;  // notices sent so far; the next one is number notices + 1

  bool operator==(const NoticeWindow&) const = default;
};

// An event that no notice (and no digest) has announced yet.
struct PendingEvent {
  int64_t id = 0;  // the store's row id
  std::string type;
  std::string actor;
  std::string text;
  int64_t createdAtMs = 0;  // when it was accepted
  int64_t readAtMs = 0;     // when it was marked read; 0 unread
};

// What the rules need about one user, read under the user's claim.
struct NoticeUser {
  std::string unionid;
  NoticeWindow window;
  std::optional<int64_t> dueAtMs;  // when the held events fall due; nullopt nothing held
  std::vector<PendingEvent> held;  // events marked held, read or not, oldest first
  Preferences preferences;         // as stored (every field absent when none)
  std::vector<TypeCount> unread;   // every unread event of the user, by type name
  std::string oaOpenid;            // "" when no follower is known
  bool subscribed = false;
};

// What to write back for one user, in the claim's transaction.
struct NoticeDecision {
  std::optional<NewMessage> message;  // into the outbox, due at once
  // Events and the marker each gets (a notice number, kEventDropped, kEventMuted).
  std::vector<std::pair<int64_t, int64_t>> marks;
  NoticeWindow window;
  std::optional<int64_t> dueAtMs;  // when to decide again; nullopt nothing held
};

// A user whose decision threw (reading the user or decide): left undecided and put off.
struct FailedDecision {
  std::string unionid;
  std::string reason;  // the exception's message
};

// What one claim did: the decisions it wrote, with their users, and the users it put off.
struct DueDecisions {
  std::vector<std::pair<NoticeUser, NoticeDecision>> decided;
  std::vector<FailedDecision> failed;
};

class Db;
struct NoticesSql;

class Notices {
 public:
  explicit Notices(Db& db);

  // --- intake ---
  // Stores a real-time event as held (unless its eventId is known) and files its user to be
  // decided at once, or at the close of the open window. True when stored. A group commit:
  // concurrent calls share one addHeldEvents transaction (store/db/batcher.h, at most
  // kIntakeRuns at once); what it throws reaches every call of the batch, none of which stored
  // anything.
  bool addHeldEvent(const NotifyEvent& event);
  // addHeldEvent for a batch, in one transaction: stored[i] tells whether batch[i] was new (of
  // ids repeated in the batch, the first). Files each user due at its earliest new event.
  std::vector<bool> addHeldEvents(std::span<const NotifyEvent> batch);
  static constexpr int kIntakeRuns = 2;

  // --- decisions ---
  // Claims up to `limit` users (at most 256) due at nowMs (oldest due first), reads them in
  // one go, calls decide(user) for each and writes the decisions together, all in one
  // transaction; users another instance holds are passed over. decide may run more than once for a
  // user (a lost lock race runs the transaction again) and must have no effect of its own. A user
  // whose reading or decide throws (other than a lost lock race or connection, which run the claim
  // again or throw) is left as it was, due again kFailedRetryMs after nowMs, and listed in
  // `failed`: the others go on.
  DueDecisions decideDue(int64_t nowMs, int limit,
                         const std::function<NoticeDecision(const NoticeUser&)>& decide);
  static constexpr int64_t kFailedRetryMs = 60'000;
  // The earliest due time of any user; nullopt when nothing is held anywhere.
  std::optional<int64_t> nextDueMs();
  // One user's state as decideDue would see it (`wxbridge notice --dry-run`), without a claim.
  NoticeUser user(const std::string& unionid);

  // --- the digest ---
  // Enqueues digest messages (as Notifications::enqueueMany) and, in the same transaction, lets
  // each new one reach its user: their held events with ids up to heldUpTo[unionid] (the
  // UnreadSummary::heldUpToId the message counted; a user not in the map: none) count as
  // announced (kEventByDigest), and their open windows close at nowMs, without a "many" notice;
  // held events after it stay held and fall due at once. A message whose idempotency key is
  // known (a resumed run) changes nothing for its user. "Reaches" means "is enqueued": a digest
  // message that then fails does not bring the events back. Returns how many were new.
  int64_t enqueueDigest(std::span<const NewMessage> messages,
                        const std::map<std::string, int64_t>& heldUpTo, int64_t nowMs);

  // --- preferences ---
  // The user's stored preferences; nullopt when they never set any.
  std::optional<Preferences> preferences(const std::string& unionid);
  // The stored preferences of those of `unionids` who set any, by unionid (the digest's page).
  std::map<std::string, Preferences> preferencesOf(std::span<const std::string> unionids);
  // Replaces the user's preferences (absent fields: follow the configuration) and, in the same
  // transaction, re-files what the old ones held: the user's pending notice decision, if due
  // after nowMs, falls due at nowMs (the notice engine then decides under the new preferences,
  // as `wxbridge notice --dry-run` shows, and files the next decision itself), and the user's
  // direct messages held by quiet hours (pending, never tried, due after nowMs) fall due at
  // heldUntilMs (the end of the new quiet hours; nullopt: nowMs). Only due times change, so no
  // message is added: the decision's idempotency key still makes each notice once.
  void setPreferences(const std::string& unionid, const Preferences& prefs, int64_t nowMs,
                      std::optional<int64_t> heldUntilMs = std::nullopt);

 private:
  Db& db_;
  const NoticesSql& sql_;
  Batcher<NotifyEvent, bool> intake_;
};

}  // namespace wxb
