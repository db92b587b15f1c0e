// TimedLoop: one background thread that runs a pass, then sleeps for as long as the pass asked,
// until wake() or until stop() - the loop of every background worker that polls: the cron
// Scheduler (cron/scheduler.h), the ScheduleEngine (notify/schedules/schedule_engine.h), the
// NoticeEngine (notify/notice_engine.h) and the CallbackWorker (bridge/callback/callback_worker.h).
// Its owner calls start() and stop() for its lifetime and wake() when it knows there is work (a
// change committed, a job queued).
//
// A wake() during a pass is not lost: the wait after it ends at once, so the next pass runs at
// once. The pass runs under the loop's StopSignal (cron/stop_signal.h): stop() ends its sleep
// and cuts the platform retries of a pass in progress short. The pass must not throw (its owner
// logs a failure and answers the wait before the retry). Thread-safe; the destructor stops the
// thread. An owner declares its TimedLoop after everything the pass uses and stops it in its own
// destructor.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "cron/stop_signal.h"

namespace wxb {

class TimedLoop {
 public:
  // One round of work; returns how long to sleep before the next, in ms (0 or less: at once;
  // more than kMaxWaitMs: kMaxWaitMs).
  using Pass = std::function<int64_t()>;
  static constexpr int64_t kMaxWaitMs = 86'400'000;  // a day

  // Throws std::invalid_argument when `pass` is empty. Starts nothing.
  explicit TimedLoop(Pass pass);
  ~TimedLoop();  // stop()
  TimedLoop(const TimedLoop&) = delete;
  TimedLoop& operator=(const TimedLoop&) = delete;

  // Starts the thread; its first pass runs at once. A call while it runs does nothing; a call
  // during a stop() waits for it to end, then starts a new thread (never two at once).
  void start();
  // Lets the pass in progress finish - its platform calls are not retried any more - then joins
  // the thread; start() may follow. Not from the pass itself.
  void stop();
  // Ends the sleep at once (or, during a pass, skips the next sleep).
  void wake();

 private:
  void run();

  const Pass pass_;
  // start() and stop() one at a time, stop() until its join returned; guards thread_.
  std::mutex lifecycle_;
  StopSignal signal_;  // stop() fires it, wake() wakes it
  std::thread thread_;
};

}  // namespace wxb
