// Notifications: what notifications keep in the store - the unread events the backend reports,
// the outbox of template messages (every message is written here before the platform call),
// the digest runs that fill it, and the send pauses every instance honours. Reached through
// Store::notifications(). Writers are the
// /v1/events and /v1/messages routes, the digest (notify/digest.h) and the outbox sender
// (notify/outbox_sender.h); readers the routes, `wxbridge digest` and the metrics collector; the
// retention purge (notify/retention.h) deletes final messages and read events once they are old.
//
// Outbox states: pending (waiting for its due time), sending (claimed by one sender, the call
// in flight), sent, failed, no_channel (no channel could reach the user: docs/channels.md), and
// unknown (a send whose outcome nobody knows: its sender died or its last attempt got no
// answer). An unknown row is resent with the same client_msg_id while
// the platform's 10-minute dedup window still covers it; after that it stays unknown for good
// (due_at cleared), because a resend could deliver the message twice. Whether the window still
// covers a claimed row is the sender's decision (ambiguousSinceMs says since when); the store
// keeps the times. A subscribe message (channel mp_subscribe or oa_subscribe) has no
// client_msg_id: once it may have been delivered it is never resent. Its sender commits a "call
// started" mark right before the platform call (markCallStarted); a dead sender's claim of one
// becomes unknown for good when the mark is there, and goes back to pending, its grant given
// back, when it is not (the call never started). Claims take the lower send classes first (0 direct
// ... 3 digest), each oldest due first. Claims are exclusive across processes (SELECT ... FOR
// UPDATE SKIP LOCKED on MySQL, one writer at a time on SQLite) and fenced by owner: a sender whose
// claim was recovered by another cannot overwrite the row afterwards.
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Stored text is cut to its column: event actor and text to 256 characters, errors to 500,
// pause reasons to 250.
// Times are Unix milliseconds from the caller's Clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store_error.h"
#include "store/subscriptions/subscriptions.h"

namespace wxb {

// One thing a user has not read yet, as the backend reported it.
struct NotifyEvent {
  std::string eventId;  // the backend's id: the same id twice stores one event
  std::string unionid;
  std::string type;  // [a-z0-9_]{1,32}, e.g. "chat", "invitation"
  std::string actor;
  std::string text;
  int64_t createdAtMs = 0;
};

// events.notice: 0 held; N > 0 announced by the user's notice number N; below 0 never held.
inline constexpr int64_t kEventHeld = 0;
inline constexpr int64_t kEventNotRealtime = -1;  // a digest-only type
inline constexpr int64_t kEventDropped = -2;      // read before its notice was due
inline constexpr int64_t kEventByDigest = -3;     // a digest message announced it
inline constexpr int64_t kEventMuted = -4;        // of a type the user muted (or not real-time)
inline constexpr int64_t kEventNoFollower = -5;   // due when no OA follower was known to send to

struct TypeCount {
  std::string type;
  int64_t count = 0;
};

// The newest unread event of one type.
struct NewestUnread {
  std::string type;
  int64_t id = 0;  // the store's row id: a larger one is newer
  std::string actor;
  std::string text;
};

// One account's unread events as the digest and the templates see them.
struct UnreadSummary {
  std::string unionid;
  std::vector<TypeCount> counts;  // one entry per type with unread events, by type name
  std::string latestActor;        // of the newest entry of newestByType ({{actor}})
  std::string latestText;         // {{text}}
  std::string oaOpenid;           // "" when no follower is known for the unionid
  bool subscribed = false;
  std::vector<NewestUnread> newestByType;  // by type name, as counts
  // The highest row id of the counted events still held for a real-time notice (events.notice
  // 0); 0 when none. The digest marks announced only the held events up to it (Notices::
  // enqueueDigest): those it counted, never one committed after its read.
  int64_t heldUpToId = 0;
};

// Sets unread.latestActor/latestText from the newest entry of unread.newestByType ("" when it
// is empty): after a caller left types out of both lists (the digest's muted types).
void showNewest(UnreadSummary& unread);

enum class OutboxState { Pending, Sending, Sent, Failed, Unknown, NoChannel };

// "pending", "sending", ...: the stored and printed name.
const char* outboxStateName(OutboxState state);
// Parses a stored name; unknown names read as Unknown.
OutboxState parseOutboxState(std::string_view name);

// The idempotency key of run `runId`'s message to `unionid`: "digest:<run id>:<unionid>". The
// store finds a run's messages by this prefix.
std::string digestMessageKey(int64_t runId, const std::string& unionid);

struct NewMessage {
  std::string idempotencyKey;  // unique across the outbox: the same key twice stores one row
  std::string unionid;
  std::string touser;  // OA openid; "" when the unionid had no follower (the send then fails)
  std::string templateName;
  std::string payload;    // the rendered message (notify/outbox_payload.h), opaque here
  int64_t digestRun = 0;  // the digest run that made it; 0 for a direct message
  // The channel it will be sent on when it has one form only; "" when it is chosen at claim.
  std::string channel = "oa_template";
  int sendClass = 0;    // 0 direct, 1 reminder, 2 realtime, 3 digest (notify/send_priority.h)
  int64_t dueAtMs = 0;  // when it may be sent (the end of quiet hours); 0 or past: at once
};

struct OutboxMessage {
  int64_t id = 0;
  std::string idempotencyKey;
  std::string unionid;
  std::string touser;
  std::string templateName;
  std::string payload;
  int64_t digestRun = 0;
  OutboxState state = OutboxState::Pending;
  int attempts = 0;                // platform calls started for it
  std::optional<int64_t> dueAtMs;  // when it may be claimed next; none unless pending/unknown
  std::string claimedBy;
  int64_t lastAttemptAtMs = 0;
  int64_t ambiguousSinceMs = 0;  // first attempt that may have reached the platform; 0 none
  int errcode = 0;               // last platform errcode (0 none)
  std::string error;             // last error, for people
  int64_t msgid = 0;             // the platform's msgid once sent
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;
  int64_t sentAtMs = 0;
  std::string channel;  // the channel of its latest attempt; "" before one was chosen
  int sendClass = 0;
  // The platform's receipt (TEMPLATESENDJOBFINISH, store/callback/callback_store.h):
  // "delivered", "blocked", "failed", or "" while none came.
  std::string delivery;
  int64_t deliveryAtMs = 0;
};

struct EnqueueResult {
  int64_t id = 0;
  bool created = false;  // false: the idempotency key was known, id is the existing row
};

// How a claimed message goes back to pending after a failed attempt.
struct SendRetry {
  int64_t dueAtMs = 0;
  int errcode = 0;
  std::string error;
  bool ambiguous = false;      // the attempt may have reached the platform (no answer)
  bool refundAttempt = false;  // the attempt does not count (refused before sending: a pause)
  bool clearChannel = false;   // the next attempt chooses its channel afresh
};

struct DigestRun {
  int64_t id = 0;
  std::string runKey;     // "cron:<fire ms>" or "manual:<start ms>"
  bool enqueued = false;  // every account with unread events was considered
  int64_t startedAtMs = 0;
  int64_t finishedAtMs = 0;
  int64_t accounts = 0;  // accounts with unread events
  int64_t messages = 0;  // messages this run put into the outbox
  int64_t skipped = 0;   // accounts that do not follow the OA
  bool created = false;  // openDigestRun: true when this call made the record
};

// What one purgeBefore() call deleted.
struct PurgeCounts {
  int64_t messages = 0;  // outbox rows
  int64_t events = 0;
};

class Db;
struct NotificationsSql;

class Notifications {
 public:
  explicit Notifications(Db& db);

  // --- events ---
  // Stores the event unless its eventId is known. Returns true when stored.
  bool addEvent(const NotifyEvent& event);
  // Marks the unionid's unread events of `types` (all types when empty) read at nowMs.
  // Returns how many were marked.
  int64_t markRead(const std::string& unionid, const std::vector<std::string>& types,
                   int64_t nowMs);
  // The unionid's unread events with its follower status; nullopt when nothing is unread.
  std::optional<UnreadSummary> unreadSummary(const std::string& unionid);
  // Up to `limit` accounts with unread events whose unionid sorts after `afterUnionid`
  // ("" from the start), in unionid order: the digest pages through them.
  std::vector<UnreadSummary> unreadPage(const std::string& afterUnionid, int limit);

  // --- outbox ---
  // Stores a pending message due at nowMs unless its idempotency key is known.
  EnqueueResult enqueue(const NewMessage& message, int64_t nowMs);
  // enqueue() for many in one transaction. Returns how many were new.
  int64_t enqueueMany(const std::vector<NewMessage>& messages, int64_t nowMs);
  // Claims up to `limit` due messages (pending or unknown with due_at <= nowMs; the lowest send
  // class first, then oldest due first) for `owner` until nowMs + claimTtlMs: state sending,
  // attempts + 1. Rows another claimer holds are skipped, never waited for, and never returned
  // to two claimers.
  std::vector<OutboxMessage> claim(const std::string& owner, int limit, int64_t nowMs,
                                   int64_t claimTtlMs);
  // Keeps `owner`'s claims alive until untilMs (its senders are working, not dead): those that
  // would expire before renewBeforeMs and were made at or after claimedSinceMs.
  void extendClaims(const std::string& owner, int64_t untilMs, int64_t renewBeforeMs,
                    int64_t claimedSinceMs);
  // Records sent messages (id, msgid) still claimed by `owner`. Returns how many it recorded.
  int64_t markSent(const std::vector<std::pair<int64_t, int64_t>>& sent, const std::string& owner,
                   int64_t nowMs);
  // Each returns false (changing nothing) when `owner` no longer holds the claim. `grant`: what
  // becomes of the grant the claim spent (Subscriptions::take recorded it on the row), settled
  // in the same transaction as the message's new state; nothing when it spent none.
  bool markFailed(int64_t id, const std::string& owner, int errcode, const std::string& error,
                  int64_t nowMs, GrantAfterSend grant = GrantAfterSend::Spent);
  bool retryLater(int64_t id, const std::string& owner, const SendRetry& retry, int64_t nowMs,
                  GrantAfterSend grant = GrantAfterSend::Spent);
  // Unknown for good: the outcome is unknown and a resend could no longer be deduplicated.
  bool markUnknown(int64_t id, const std::string& owner, const std::string& error, int64_t nowMs,
                   GrantAfterSend grant = GrantAfterSend::Spent);
  // Commits that the platform call of the claimed message starts now (subscribe channels): from
  // here on a dead sender's claim of it is unknown, not pending. False (no call may be made)
  // when `owner` no longer holds the claim.
  bool markCallStarted(int64_t id, const std::string& owner, int64_t nowMs);
  // Final: no channel can reach the user; `reason` names each channel and why.
  bool markNoChannel(int64_t id, const std::string& owner, const std::string& reason,
                     int64_t nowMs);
  // Records the channel the claimed message is about to be sent on and the openid it is sent to
  // there (`touser`: a template receipt must come from it, docs/callback.md).
  bool setChannel(int64_t id, const std::string& owner, const std::string& channel,
                  const std::string& touser, int64_t nowMs);
  // Claims that expired before nowMs belonged to a dead sender. A template message becomes
  // unknown and due now, with ambiguousSinceMs set to its last attempt if it was not set yet, to
  // be resent with the same client_msg_id; a subscribe message whose call started becomes
  // unknown for good (it cannot be deduplicated); one whose call never started, or whose channel
  // was not chosen yet, is pending again, due now, the attempt not counted and its channel to be
  // chosen again - a subscribe message's grant given back in the same transaction.
  // Returns how many.
  int64_t recoverStale(int64_t nowMs);
  std::optional<OutboxMessage> message(int64_t id);
  // Rows per state (states without rows are absent).
  std::map<OutboxState, int64_t> depthByState();
  // The earliest due time of a claimable row, if any.
  std::optional<int64_t> nextDueMs();

  // --- sends a channel made a day (its budget), shared by every instance ---
  // Adds `count` sends of each channel to `day` ("YYYY-MM-DD", China time).
  void countSends(const std::string& day, const std::map<std::string, int64_t>& count);
  // The sends each channel made on `day`; channels without any are absent.
  std::map<std::string, int64_t> sendsOn(const std::string& day);

  // --- send pauses (45009): shared by every instance ---
  // Pauses sends of `api` until untilMs; an earlier pause never shortens a later one.
  void pauseSends(const std::string& api, int64_t untilMs, const std::string& reason,
                  int64_t nowMs);
  // The end (Unix ms) of the pause of `api` that ends after endedAfterMs (Unix ms), if any: the
  // pause in force at endedAfterMs, or - with endedAfterMs before now - one that ended lately.
  std::optional<int64_t> sendsPausedUntil(const std::string& api, int64_t endedAfterMs);

  // --- digest runs ---
  // The run with `runKey`, created (enqueued false) when there is none.
  DigestRun openDigestRun(const std::string& runKey, int64_t nowMs);
  std::optional<DigestRun> latestDigestRun();
  // Records that run `id` considered every account: its counters, and as `messages` the
  // outbox rows it made (counted in the outbox, so a resumed run counts them once).
  void finishDigestRun(int64_t id, int64_t accounts, int64_t skipped, int64_t nowMs);
  // Messages of run `id` that are not final yet (pending, sending, resendable unknown).
  int64_t openMessagesOfRun(int64_t id);

  // --- retention ---
  // Deletes up to maxRows outbox rows in a final state - sent, failed, or unknown and never to
  // be resent (no due time) - last updated before cutoffMs, and up to maxRows events read
  // before cutoffMs: each kind in a short transaction of its own, so no lock is held for long.
  // Pending and sending rows, unknown rows still due and unread events are never deleted,
  // however old. Returns how many of each it deleted; fewer than maxRows: none are left.
  PurgeCounts purgeBefore(int64_t cutoffMs, int maxRows);

 private:
  Db& db_;
  const NotificationsSql& sql_;
};

}  // namespace wxb
