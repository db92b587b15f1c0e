// Validation of a user-set reminder: every field a request may set, each problem naming its
// field the way the API spells it ("cron", "timezone", "params.city", "ends_at", ...), so the
// /v1/schedules routes can answer 400 with it. Called by newSchedule() and patchSchedule()
// (schedule_changes.h); pure: thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>

#include "notify/messages.h"
#include "notify/notify_settings.h"
#include "notify/schedules/schedule.h"
#include "notify/schedules/schedule_settings.h"
#include "notify/schedules/schedule_trigger.h"

namespace wxb {

// What a schedule is checked against: the configured templates and the schedules.* settings.
struct ScheduleRules {
  const NotifySettings& notify;
  const ScheduleSettings& settings;
};

// Checks `schedule` as it would be stored at `nowMs` (Unix ms), in field order:
// - cron or at, exactly one; cron parses (5, 6 or Quartz 7 fields, at most 128 characters);
//   timezone is an IANA zone tzdata knows, required with cron;
// - template is configured and shows no unread events (only {{params.NAME}} placeholders);
//   params give every {{params.NAME}} it uses and no other, as text of at most 256 characters;
//   channel is "", "auto" or a channel the template has a form for (channelsFor in
//   notify/messages.h), and every subscribe value of those forms can be made valid;
// - at is not in the past and before 2200; starts_at, ends_at and max_fires only with cron;
//   ends_at is not before starts_at nor in the past; max_fires is 1 to 1,000,000,000;
// - the schedule fires at least once after `nowMs`, and its cron expression never fires two
//   times closer than settings.minIntervalSeconds within its window (cron/cron_interval.h).
// Returns the schedule's trigger, or the first problem found.
std::expected<ScheduleTrigger, FieldProblem> checkSchedule(const Schedule& schedule,
                                                           const ScheduleRules& rules,
                                                           int64_t nowMs);

// The problem with adding a schedule for a unionid that already has `existing` of them (any
// state), or nullopt when settings.maxPerUser allows one more.
std::optional<FieldProblem> checkScheduleCount(int64_t existing, const ScheduleSettings& settings);

}  // namespace wxb
