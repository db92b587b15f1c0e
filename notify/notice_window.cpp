#include "notify/notice_window.h"

#include <algorithm>
#include <map>

namespace wxb {

namespace {

// When the rules let an event be announced, and why then.
struct Release {
  int64_t atMs = 0;
  bool held = false;   // not at its arrival: by a window or quiet hours
  bool quiet = false;  // by quiet hours
};

Release releaseOf(const PendingEvent& event, int64_t windowEndMs, const NoticePrefs& prefs) {
  Release r{std::max(event.createdAtMs, windowEndMs), event.createdAtMs < windowEndMs, false};
  if (prefs.quietHours) {
    if (auto end = quietHoursEndAt(*prefs.quietHours, prefs.zone, r.atMs)) r = {*end, true, true};
  }
  return r;
}

bool unreadAt(const PendingEvent& event, int64_t atMs) {
  return event.readAtMs == 0 || event.readAtMs > atMs;
}

// The events the rules announce, in arrival order; the ids of the others go to `ignored`.
std::vector<PendingEvent> eligibleInOrder(const std::vector<PendingEvent>& events,
                                          const NoticePrefs& prefs, const RealtimeRules& rules,
                                          std::vector<int64_t>& ignored) {
  std::vector<PendingEvent> pending;
  for (const auto& e : events) {
    if (rules.realtimeTypes.count(e.type) && !prefs.mutedTypes.count(e.type)) {
      pending.push_back(e);
    } else {
      ignored.push_back(e.id);
    }
  }
  std::sort(pending.begin(), pending.end(), [](const PendingEvent& a, const PendingEvent& b) {
    return a.createdAtMs != b.createdAtMs ? a.createdAtMs < b.createdAtMs : a.id < b.id;
  });
  return pending;
}

// Events held to `release` go out together: every one that arrived by then.
size_t endOfRelease(const std::vector<PendingEvent>& events, size_t next, const Release& r) {
  if (!r.held) return next + 1;
  while (next < events.size() && events[next].createdAtMs <= r.atMs) ++next;
  return next;
}

void addToNotice(NoticePlan& plan, const std::vector<const PendingEvent*>& announced,
                 const Release& r, int64_t throttleMs) {
  if (!plan.notice) {
    plan.notice.emplace();
    plan.notice->kind = r.held ? NoticeKind::Many : NoticeKind::Single;
    plan.notice->number = ++plan.window.notices;
  } else {
    plan.notice->kind = NoticeKind::Many;
    plan.notice->caughtUp = true;
  }
  plan.notice->dueAtMs = r.atMs;
  plan.notice->quietHoursEnded = r.quiet;
  for (const PendingEvent* e : announced) plan.notice->eventIds.push_back(e->id);
  plan.window.endMs = r.atMs + throttleMs;
}

// Announces events [from, to) at `r` (adding them to `announced`), or drops those read by then.
void release(NoticePlan& plan, std::vector<const PendingEvent*>& announced,
             const std::vector<PendingEvent>& events, size_t from, size_t to, const Release& r,
             int64_t throttleMs) {
  std::vector<const PendingEvent*> now;
  for (size_t i = from; i < to; ++i) {
    if (unreadAt(events[i], r.atMs)) {
      now.push_back(&events[i]);
    } else {
      plan.droppedIds.push_back(events[i].id);
    }
  }
  if (r.quiet) plan.quietHeldEvents += static_cast<int64_t>(to - from);
  if (now.empty()) return;
  addToNotice(plan, now, r, throttleMs);
  announced.insert(announced.end(), now.begin(), now.end());
}

// Counts by type and the newest event's texts; `announced` is in arrival order.
void describeContent(Notice& notice, const std::vector<const PendingEvent*>& announced) {
  std::map<std::string, int64_t> byType;
  for (const PendingEvent* e : announced) ++byType[e->type];
  for (const auto& [type, count] : byType) notice.counts.push_back({type, count});
  notice.type = announced.back()->type;
  notice.actor = announced.back()->actor;
  notice.text = announced.back()->text;
}

}  // namespace

NoticePlan planNotice(const NoticeWindow& window, const std::vector<PendingEvent>& events,
                      const NoticePrefs& prefs, const RealtimeRules& rules, int64_t nowMs) {
  NoticePlan plan;
  plan.window = window;
  const std::vector<PendingEvent> pending = eligibleInOrder(events, prefs, rules, plan.ignoredIds);
  std::vector<const PendingEvent*> announced;
  for (size_t next = 0; next < pending.size();) {
    const Release r = releaseOf(pending[next], plan.window.endMs, prefs);
    if (r.atMs > nowMs) {
      plan.nextDecisionAtMs = r.atMs;
      plan.heldBy = r.quiet ? HeldBy::QuietHours : HeldBy::Window;
      plan.heldEvents = static_cast<int64_t>(pending.size() - next);
      break;
    }
    const size_t end = endOfRelease(pending, next, r);
    release(plan, announced, pending, next, end, r, rules.throttleMs);
    next = end;
  }
  if (plan.notice) describeContent(*plan.notice, announced);
  return plan;
}

TemplateValues noticeValues(const Notice& notice, int64_t unread) {
  TemplateValues values;
  values.counts = notice.counts;
  values.unread = unread;
  values.type = notice.type;
  values.actor = notice.actor;
  values.text = notice.text;
  return values;
}

std::string noticeMessageKey(const std::string& unionid, int64_t number) {
  return "realtime:" + unionid + ":" + std::to_string(number);
}

}  // namespace wxb
