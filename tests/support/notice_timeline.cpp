#include "support/notice_timeline.h"

#include <algorithm>
#include <set>

namespace wxb::test {

NoticeTimeline::NoticeTimeline(NoticePrefs prefs, RealtimeRules rules, int64_t startMs)
    : prefs_(std::move(prefs)), rules_(std::move(rules)), clock_(startMs) {}

void NoticeTimeline::runUntil(int64_t atMs) {
  while (nextDecision_ && *nextDecision_ <= atMs) {
    clock_.set(std::max(clock_.nowMs(), *nextDecision_));
    decide();
  }
  clock_.set(std::max(clock_.nowMs(), atMs));
}

void NoticeTimeline::event(int64_t atMs, const std::string& type, const std::string& actor,
                           const std::string& text) {
  runUntil(atMs);
  pending_.push_back(PendingEvent{nextId_++, type, actor, text, atMs, 0});
  decide();
}

void NoticeTimeline::readAll(int64_t atMs) {
  runUntil(atMs);
  for (auto* list : {&pending_, &announced_}) {
    for (auto& e : *list) {
      if (e.readAtMs == 0) e.readAtMs = atMs;
    }
  }
}

void NoticeTimeline::decide() {
  NoticePlan plan = planNotice(window_, pending_, prefs_, rules_, clock_.nowMs());
  apply(plan);
}

void NoticeTimeline::apply(const NoticePlan& plan) {
  std::set<int64_t> settled(plan.droppedIds.begin(), plan.droppedIds.end());
  settled.insert(plan.ignoredIds.begin(), plan.ignoredIds.end());
  if (plan.notice) settled.insert(plan.notice->eventIds.begin(), plan.notice->eventIds.end());
  for (const auto& e : pending_) {
    if (plan.notice && std::count(plan.notice->eventIds.begin(), plan.notice->eventIds.end(), e.id))
      announced_.push_back(e);
  }
  std::erase_if(pending_, [&](const PendingEvent& e) { return settled.count(e.id) > 0; });
  dropped_ += static_cast<int64_t>(plan.droppedIds.size());
  quietHeld_ += plan.quietHeldEvents;
  window_ = plan.window;
  nextDecision_ = plan.nextDecisionAtMs;
  if (!plan.notice) return;
  const Notice& n = *plan.notice;
  TemplateValues values = noticeValues(n, unreadCount());
  sent_.push_back(SentNotice{n.kind, clock_.nowMs(), n.dueAtMs, n.number,
                             static_cast<int64_t>(n.eventIds.size()), values.unread, values.actor,
                             values.text, n.quietHoursEnded, n.caughtUp});
}

int64_t NoticeTimeline::unreadCount() const {
  int64_t unread = 0;
  for (const auto* list : {&pending_, &announced_}) {
    for (const auto& e : *list) {
      if (e.readAtMs == 0 && rules_.realtimeTypes.count(e.type) && !prefs_.mutedTypes.count(e.type))
        ++unread;
    }
  }
  return unread;
}

}  // namespace wxb::test
