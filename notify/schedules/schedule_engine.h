// ScheduleEngine: the one loop that fires every user-set reminder of a `serve` process. No timer
// per schedule and nothing per schedule in memory: each pass hands the time to a `FireDue`
// function (the store: claim what is due in batches, enqueue each fire and advance its next
// fire time in one transaction), which answers the earliest next fire time of all schedules;
// the loop then sleeps until that time, until pollMs passes (so a change made by another
// instance, or a clock that jumps, is seen within it), or until wake() (a change made here).
// Idle, it costs one indexed query per pollMs.
//
// `serve` builds one, calls start() and, on shutdown, stop(); the routes call wake() after a
// change commits. Tests drive runOnce() with a ManualClock instead. A FireDue that throws (the
// store is down) is logged on "wxb.schedules" and retried after pollMs. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "cron/clock.h"
#include "cron/timed_loop.h"

namespace wxb {

struct ScheduleEngineSettings {
  // The longest the loop sleeps without asking FireDue again, in ms (1-60000).
  int64_t pollMs = 1'000;
};

class ScheduleEngine {
 public:
  // Fires every schedule due at `nowMs` (Unix ms) and returns the earliest next fire time of
  // any schedule afterwards, nullopt when none has one.
  using FireDue = std::function<std::optional<int64_t>(int64_t nowMs)>;

  // Throws std::invalid_argument for a pollMs out of range or no function.
  ScheduleEngine(const Clock& clock, FireDue fireDue, ScheduleEngineSettings settings = {});
  ~ScheduleEngine();  // stop()
  ScheduleEngine(const ScheduleEngine&) = delete;
  ScheduleEngine& operator=(const ScheduleEngine&) = delete;

  // Runs the loop on a background thread until stop(). A second start() is a no-op.
  void start();
  // Ends the loop after the pass in progress.
  void stop();
  // A schedule changed: run a pass at once (its next fire may be sooner than the loop knows).
  void wake();

  // One pass at clock.nowMs(); returns how long the loop would sleep after it, in ms (0 when
  // something is due again at once). Exceptions from FireDue propagate.
  int64_t runOnce();

 private:
  int64_t passOrRetry();

  const Clock& clock_;
  const FireDue fireDue_;
  const ScheduleEngineSettings settings_;

  std::mutex passMutex_;  // one pass at a time (the loop and a test may race)
  TimedLoop loop_{[this] { return passOrRetry(); }};
};

}  // namespace wxb
