// Schedule: one user-set reminder (POST /v1/schedules): a cron expression in an IANA time zone,
// or a one-shot ISO 8601 time, that sends a named template message to one unionid at each fire.
// The routes build one from a request, the store keeps it, and the schedule engine fires it.
// This folder holds the domain logic without store or HTTP: the trigger (schedule_trigger.h),
// validation (schedule_check.h), changes (schedule_patch.h) and firing with the misfire rule
// (schedule_fires.h); docs/schedules.md states the semantics. Plain values: thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "notify/template_render.h"

namespace wxb {

// active: it has a next fire. paused: the user paused it (no next fire until resumed).
// finished: it never fires again (its one-shot time, ends_at or max_fires is behind it).
enum class ScheduleState { Active, Paused, Finished };

// "active", "paused", "finished": the stored and printed name.
const char* scheduleStateName(ScheduleState state);
// Parses a stored or requested name; nullopt for anything else.
std::optional<ScheduleState> parseScheduleState(std::string_view name);

struct Schedule {
  int64_t id = 0;  // the store's; 0 before it is stored
  std::string unionid;
  // Exactly one of these says when it fires: a cron expression (docs/cron.md, 5, 6 or Quartz 7
  // fields) or a one-shot time.
  std::string cron;
  std::optional<int64_t> atMs;        // Unix ms
  std::string timezone;               // IANA name the cron expression runs in; "" only with atMs
  std::string templateName;           // a templates.NAME
  MessageParams params;               // {{params.NAME}} values: exactly the ones the template uses
  std::string channel;                // "" for the default; see ScheduleSettings::channels
  std::optional<int64_t> startsAtMs;  // no fire before it (Unix ms, inclusive); cron only
  std::optional<int64_t> endsAtMs;    // no fire after it (Unix ms, inclusive); cron only
  std::optional<int64_t> maxFires;    // finished after this many fires; cron only
  bool paused = false;

  // Kept by the domain functions, never set by a request.
  ScheduleState state = ScheduleState::Active;
  std::optional<int64_t> nextFireMs;  // the fire the engine waits for; none unless active
  std::optional<int64_t> lastFireMs;  // the latest fire acted on
  int64_t fires = 0;                  // fire times acted on: enqueued, or the user was unreachable
  int64_t misfires = 0;     // fire times skipped because they were too late (see schedule_fires.h)
  int64_t unreachable = 0;  // fires that found no way to reach the user
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;
};

// The outbox idempotency key of schedule `id`'s fire at `fireMs` (Unix ms):
// "schedule:<id>:<fire ms>". The same fire can be enqueued only once, whoever tries.
std::string scheduleFireKey(int64_t id, int64_t fireMs);

}  // namespace wxb
