#include "notify/schedules/schedule_fires.h"

#include <algorithm>

namespace wxb {

namespace {

// The latest fire in [max(first, nowMs - graceMs), nowMs], where `first` is a fire.
std::optional<int64_t> latestInGrace(const ScheduleTrigger& trigger, int64_t first, int64_t nowMs,
                                     int64_t graceMs) {
  int64_t earliest = std::max(first, nowMs - graceMs);
  std::optional<int64_t> fire = earliest == first ? first : trigger.nextAfter(earliest - 1);
  std::optional<int64_t> latest;
  for (; fire && *fire <= nowMs; fire = trigger.nextAfter(*fire)) latest = fire;
  return latest;
}

// Fires in [first, endMs), where `first` is a fire; at most kMaxCountedMisfires.
int64_t countFires(const ScheduleTrigger& trigger, int64_t first, int64_t endMs) {
  int64_t count = 0;
  for (std::optional<int64_t> fire = first; fire && *fire < endMs && count < kMaxCountedMisfires;
       fire = trigger.nextAfter(*fire)) {
    ++count;
  }
  return count;
}

bool usedUp(const Schedule& s) { return s.maxFires && s.fires >= *s.maxFires; }

}  // namespace

void reschedule(Schedule& s, const ScheduleTrigger& trigger, int64_t afterMs) {
  std::optional<int64_t> next = usedUp(s) ? std::nullopt : trigger.nextAfter(afterMs);
  s.state = !next      ? ScheduleState::Finished
            : s.paused ? ScheduleState::Paused
                       : ScheduleState::Active;
  s.nextFireMs = s.state == ScheduleState::Active ? next : std::nullopt;
}

DueFire takeDueFire(Schedule& s, const ScheduleTrigger& trigger, int64_t nowMs, int64_t graceMs) {
  DueFire due;
  if (!s.nextFireMs || *s.nextFireMs > nowMs || s.state != ScheduleState::Active) return due;
  int64_t first = *s.nextFireMs;
  due.fireMs = usedUp(s) ? std::nullopt : latestInGrace(trigger, first, nowMs, graceMs);
  due.missed = countFires(trigger, first, due.fireMs ? *due.fireMs : nowMs + 1);
  if (due.fireMs) {
    ++s.fires;
    s.lastFireMs = due.fireMs;
  }
  s.misfires += due.missed;
  reschedule(s, trigger, nowMs);
  return due;
}

}  // namespace wxb
