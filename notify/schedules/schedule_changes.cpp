#include "notify/schedules/schedule_changes.h"

#include <algorithm>
#include <limits>

#include "notify/schedules/schedule_fires.h"

namespace wxb {

namespace {

template <typename T>
void assign(T& field, const std::optional<T>& value) {
  if (value) field = *value;
}

Schedule patched(Schedule s, const SchedulePatch& p) {
  if (p.cron) {
    s.cron = *p.cron;
    s.atMs.reset();
  }
  if (p.atMs) {
    s.atMs = p.atMs;
    if (!p.cron) s.cron.clear();
  }
  assign(s.timezone, p.timezone);
  assign(s.templateName, p.templateName);
  assign(s.params, p.params);
  assign(s.channel, p.channel);
  assign(s.startsAtMs, p.startsAtMs);
  assign(s.endsAtMs, p.endsAtMs);
  assign(s.maxFires, p.maxFires);
  assign(s.paused, p.paused);
  return s;
}

bool changesTiming(const SchedulePatch& p) {
  return p.cron || p.atMs || p.timezone || p.startsAtMs || p.endsAtMs || p.maxFires;
}

// Fires at or after `nowMs` count; one already acted on does not come again.
int64_t rescheduleAfter(const Schedule& s, int64_t nowMs) {
  return std::max(nowMs - 1, s.lastFireMs.value_or(std::numeric_limits<int64_t>::min()));
}

}  // namespace

std::expected<Schedule, FieldProblem> newSchedule(Schedule s, const ScheduleRules& rules,
                                                  int64_t nowMs) {
  auto trigger = checkSchedule(s, rules, nowMs);
  if (!trigger) return std::unexpected(trigger.error());
  s.id = 0;
  s.fires = s.misfires = s.unreachable = 0;
  s.lastFireMs.reset();
  s.createdAtMs = s.updatedAtMs = nowMs;
  reschedule(s, *trigger, nowMs - 1);
  return s;
}

std::expected<Schedule, FieldProblem> patchSchedule(const Schedule& current,
                                                    const SchedulePatch& patch,
                                                    const ScheduleRules& rules, int64_t nowMs) {
  Schedule s = patched(current, patch);
  auto trigger = checkSchedule(s, rules, nowMs);
  if (!trigger) return std::unexpected(trigger.error());
  if (changesTiming(patch) || s.paused != current.paused) {
    reschedule(s, *trigger, rescheduleAfter(s, nowMs));
  }
  s.updatedAtMs = nowMs;
  return s;
}

}  // namespace wxb
