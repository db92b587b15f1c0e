// ScheduleFiring: what one pass of the schedule engine does (the engine's FireDue, see
// schedule_engine.h) - pages through the store's due schedules (Schedules::fireDue, up to
// kFirePage a transaction) and decides each one's fire: the misfire rule (takeDueFire in
// schedule_fires.h), the user's reachability, and the template message it enqueues under
// scheduleFireKey(). Nothing is kept per schedule between passes. Built once by serve's wiring;
// thread-safe (no state of its own beyond references to thread-safe objects).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "cron/clock.h"
#include "notify/notify_settings.h"
#include "notify/schedules/schedule_settings.h"
#include "store/schedules/schedules.h"

namespace wxb {

// Due schedules claimed, fired and stored in one transaction.
inline constexpr int kFirePage = 500;

// Told about every fire decision after its transaction committed, with the pass's time (Unix
// ms): metrics count fires, misfires, unreachable users and the fire lag (nowMs - fireMs).
using ScheduleFireObserver = std::function<void(const ScheduleFireDecision&, int64_t nowMs)>;

// The decision for `schedule` found due at `nowMs` (Unix ms), reaching `to`; updates the
// schedule (counters, next fire, state). A schedule whose expression or zone no longer parses
// (a tzdata update removed its zone) or whose template is no longer configured finishes or
// fires without a message, logged on "wxb.schedules". The message takes the channel rules of a
// direct message (docs/channels.md), with the reminder send class: a reminder whose template
// (and `channel`) allows only oa_template is counted unreachable when the user does not follow
// the OA; one with other channels (a subscribe variant, "auto") is enqueued and takes the first
// channel that can reach the user when it is sent, or ends no_channel.
ScheduleFireDecision decideFire(Schedule& schedule, const ScheduleRecipient& to,
                                const NotifySettings& notify, const ScheduleSettings& settings,
                                int64_t nowMs);

class ScheduleFiring {
 public:
  ScheduleFiring(Schedules& schedules, const Clock& clock, const NotifySettings& notify,
                 const ScheduleSettings& settings, ScheduleFireObserver observer = {});

  // Fires every schedule due at `nowMs`, page by page (each page after the first at the
  // clock's time then, so a long pass still measures lateness and lag truly), and returns the
  // earliest next fire of any schedule afterwards (nullopt: none). Throws
  // StoreUnavailable/StoreError (the engine retries the pass).
  std::optional<int64_t> fireDue(int64_t nowMs);

 private:
  Schedules& schedules_;
  const Clock& clock_;
  const NotifySettings& notify_;
  const ScheduleSettings& settings_;
  const ScheduleFireObserver observer_;
};

}  // namespace wxb
