// Firing a schedule: its next fire after a change, and what happens when the engine finds it
// due - including the misfire rule for fires found late (the service was down, or the engine
// fell behind). The engine calls takeDueFire() inside the transaction that claims the schedule,
// enqueues the returned fire under scheduleFireKey() and stores the updated Schedule, so a fire
// and the advance of the next fire time happen together or not at all. Pure functions on
// values: thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "notify/schedules/schedule.h"
#include "notify/schedules/schedule_trigger.h"

namespace wxb {

// Skipped fires counted by one takeDueFire() call, at most: an every-minute reminder that was
// down for a day counts 100 misfires, not 1440, so a catch-up after a long outage stays cheap.
inline constexpr int64_t kMaxCountedMisfires = 100;

// Sets `schedule`'s nextFireMs and state from its first fire strictly after `afterMs` (Unix
// ms): finished (no next fire) when the trigger has no more fires or max_fires fires happened,
// else paused (no next fire) when paused, else active with that fire.
void reschedule(Schedule& schedule, const ScheduleTrigger& trigger, int64_t afterMs);

struct DueFire {
  std::optional<int64_t> fireMs;  // the fire to send now (Unix ms); none: nothing to send
  int64_t missed = 0;             // fire times skipped by this call (misfires)
};

// The fire to send when the engine finds `schedule` due at `nowMs` (nextFireMs <= nowMs), and
// the schedule updated for it (fires, lastFireMs, misfires; nextFireMs and state from
// reschedule() after `nowMs`). Of the fire times between nextFireMs and nowMs, only the latest
// is sent, and only if it is at most `graceMs` late; every other one is skipped and counted in
// `missed` (at most kMaxCountedMisfires). So a schedule sends at most one catch-up fire, and
// never a backlog. A schedule that is not due comes back unchanged with nothing to send.
DueFire takeDueFire(Schedule& schedule, const ScheduleTrigger& trigger, int64_t nowMs,
                    int64_t graceMs);

}  // namespace wxb
