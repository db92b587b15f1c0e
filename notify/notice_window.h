// The real-time notice rules, as a pure decision: given one user's window state, the events no
// notice has announced yet (with the time each was read, if it was), the user's preferences and
// now, what to send now and when the next decision is due. The engine that closes windows
// loads these inputs under the user's claim, applies the plan in the same transaction (the
// outbox message, the announced events, the new state) and files the user under the next
// decision time; `wxbridge notice --dry-run` prints a plan without applying it.
//
// The rules (notify.throttle_seconds = T; docs/notify.md has them as a timeline):
// - An event of a real-time type that arrives when no window is open and outside quiet hours
//   is announced at once by a "single" notice, which opens a window of T.
// - Events that arrive while a window is open are held. When it closes, the held events still
//   unread are announced by one "many" notice, which opens the next window; held events read
//   by then are dropped, and if nothing is left no notice is sent and the window lapses.
// - A notice that falls in the user's quiet hours is held to their end and then sent as one
//   "many" notice with everything held by then.
// - Events of muted types, and of types that are not real-time, are never announced here.
// What is sent is decided by the times events arrived and were read, not by when a server got
// round to deciding: a notice's due time is the arrival, the close or the end of quiet hours,
// and the window it opens runs T from that due time. A decision made later than one window
// after a due time (every instance was down) merges what fell due into one "many" notice
// rather than sending a burst.
//
// Pure: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notify/preferences.h"
#include "notify/template_render.h"
#include "store/notices/notices.h"

namespace wxb {

struct RealtimeRules {
  int64_t throttleMs = 600'000;         // notify.throttle_seconds, in ms
  std::set<std::string> realtimeTypes;  // types with notify.types.TYPE.realtime = true
};

enum class NoticeKind { Single, Many };

struct Notice {
  NoticeKind kind = NoticeKind::Single;
  int64_t number = 0;             // the window it closes: NoticeWindow::notices after it
  int64_t dueAtMs = 0;            // the arrival, the window's close or the end of quiet hours
  bool quietHoursEnded = false;   // released at the end of quiet hours
  bool caughtUp = false;          // merges notices that fell due more than a window apart
  std::vector<int64_t> eventIds;  // the events it announces, oldest first
  std::vector<TypeCount> counts;  // of those, by type name
  std::string type;               // the newest one's type, actor and text
  std::string actor;
  std::string text;
};

enum class HeldBy { Nothing, Window, QuietHours };

struct NoticePlan {
  std::optional<Notice> notice;     // to send now
  std::vector<int64_t> droppedIds;  // held, but read before their notice was due: never sent
  std::vector<int64_t> ignoredIds;  // muted types, or types that are not real-time
  int64_t quietHeldEvents = 0;      // of the announced and dropped events, held by quiet hours
  NoticeWindow window;              // the state after this plan
  std::optional<int64_t> nextDecisionAtMs;  // when the events still held fall due
  HeldBy heldBy = HeldBy::Nothing;          // ... and what holds them
  int64_t heldEvents = 0;                   // events still held
};

// The plan for a user at nowMs (Unix ms). `events` in any order; events created after nowMs
// (a clock a little ahead on another instance) wait for their own time.
NoticePlan planNotice(const NoticeWindow& window, const std::vector<PendingEvent>& events,
                      const NoticePrefs& prefs, const RealtimeRules& rules, int64_t nowMs);

// What a notice's template shows: the held events it announces ({{total}}, {{count.TYPE}},
// {{summary}}, and the newest one's {{actor}}, {{text}} and type label), and `unread`, every
// unread event of the user that is not muted ({{unread}}).
TemplateValues noticeValues(const Notice& notice, int64_t unread);

// The outbox idempotency key of notice `number` to `unionid`: "realtime:<unionid>:<number>".
std::string noticeMessageKey(const std::string& unionid, int64_t number);

}  // namespace wxb
