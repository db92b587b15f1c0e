// Creating and changing a user-set reminder as domain operations: the POST and PATCH
// /v1/schedules handlers parse JSON into a Schedule or a SchedulePatch, and the store calls
// these inside the transaction that writes the row, so the next fire time it stores is the one
// the change implies. Pure: thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "notify/schedules/schedule.h"
#include "notify/schedules/schedule_check.h"

namespace wxb {

// The fields a PATCH names; an absent member leaves the field as it is.
struct SchedulePatch {
  std::optional<std::string> cron;  // a cron expression; replaces `at`
  std::optional<int64_t> atMs;      // a one-shot time; replaces `cron`
  std::optional<std::string> timezone;
  std::optional<std::string> templateName;
  std::optional<MessageParams> params;  // replaces every param
  std::optional<std::string> channel;
  // The inner nullopt (JSON null) removes the bound.
  std::optional<std::optional<int64_t>> startsAtMs;
  std::optional<std::optional<int64_t>> endsAtMs;
  std::optional<std::optional<int64_t>> maxFires;
  std::optional<bool> paused;
};

// A new schedule from `draft` (the request's fields; id 0) at `nowMs` (Unix ms): checked by
// checkSchedule(), counters zero, created/updated at `nowMs`, and its first fire at or after
// `nowMs` (a one-shot at `nowMs` is due at once). Returns the first problem found instead.
std::expected<Schedule, FieldProblem> newSchedule(Schedule draft, const ScheduleRules& rules,
                                                  int64_t nowMs);

// `current` changed by `patch` at `nowMs`, checked as a whole by checkSchedule() exactly as a
// new schedule would be. A change to when it fires (cron, at, timezone, starts_at, ends_at,
// max_fires) or a resume recomputes the next fire from `nowMs` (never before the last fire);
// pausing clears it; any other change keeps it. Returns the first problem found instead.
std::expected<Schedule, FieldProblem> patchSchedule(const Schedule& current,
                                                    const SchedulePatch& patch,
                                                    const ScheduleRules& rules, int64_t nowMs);

}  // namespace wxb
