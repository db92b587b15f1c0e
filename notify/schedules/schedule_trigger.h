// ScheduleTrigger: when a schedule may fire - its parsed cron expression and time zone, or its
// one-shot time, within its starts_at/ends_at window. Built from a Schedule by validation
// (schedule_check.h) and by the engine for every schedule it fires; max_fires and pausing are
// the Schedule's own business (schedule_fires.h). Immutable value: thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>

#include "cron/cron_expr.h"
#include "notify/messages.h"
#include "notify/schedules/schedule.h"

namespace date {
class time_zone;
}

namespace wxb {

class ScheduleTrigger {
 public:
  // Parses the schedule's cron expression and finds its time zone. A problem names the field:
  // "cron" (with the cron module's reason, e.g. "day-of-month: 32 is out of range 1-31"),
  // "timezone" (unknown, or missing with cron), or "at" (neither cron nor at, or both).
  static std::expected<ScheduleTrigger, FieldProblem> of(const Schedule& schedule);

  // The first fire strictly after `afterMs` (Unix ms) within the window: for cron the cron
  // module's next fire time in the zone (daylight saving as docs/cron.md says), at or after
  // starts_at, at or before ends_at; for a one-shot its time if it is after `afterMs`.
  // nullopt when there is none.
  std::optional<int64_t> nextAfter(int64_t afterMs) const;

  const CronExpr* cron() const { return cron_ ? &*cron_ : nullptr; }
  const date::time_zone* zone() const { return zone_; }

 private:
  ScheduleTrigger() = default;

  std::optional<CronExpr> cron_;
  std::optional<int64_t> atMs_;
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC (a one-shot without a zone)
  std::optional<int64_t> startsAtMs_;
  std::optional<int64_t> endsAtMs_;
};

}  // namespace wxb
