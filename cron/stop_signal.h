// StopSignal: the one way the owner of worker threads tells them to stop. When it fires, the
// threads' own waits on it (sleepFor, waitForWake) end at once, and the platform calls made by a
// thread under a Scope of it are not retried any more: WechatClient (wechat/wechat_client.h)
// asks stopRequested() before each retry and sleeps its backoff with sleepUnlessStopped(), which
// ends at once when the signal fires. A call already on the wire is not cut: its connect and
// read timeouts bound it.
//
// Owners, each firing it in stop() and clearing it in start(), with no other stop flag beside
// it: TimedLoop (cron/timed_loop.h: the pass of every polling worker, the CallbackWorker's
// user/info calls among them), the Scheduler's job runs (cron/scheduler.h: the token refresh
// job), the OutboxSender (notify/outbox_sender.h) and each sync run (sync/sync_engine.h: fired
// by SyncRunner::stop or by the loss of the sync lease, with a reason).
//
// Only the innermost Scope counts: a thread under two scopes stops on the inner signal alone.
// So the scheduled sync job, whose run installs the sync's own signal inside the scheduler's,
// is not stopped by Scheduler::stop but by SyncRunner::stop - which serve calls first
// (bridge/cli/cmd_serve.cpp).
// Thread-safe; a Scope belongs to its thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace wxb {

class StopSignal {
 public:
  // Fires the signal; the first reason given is kept until reset().
  void request(const std::string& reason = "stopping");
  // Clears the signal and its reason (an owner starting again).
  void reset();
  bool stopped() const;
  std::string reason() const;
  // Ends the waitForWake() in progress - or the next one - at once. sleepFor() ignores it.
  void wake();

  // Waits `ms` milliseconds (0 or less: not at all) unless the signal fires first (or has).
  // Returns false if it fired.
  bool sleepFor(int64_t ms) const;
  // Waits `ms` milliseconds, until the signal fires or a wake() comes; clears the wake it ended
  // on, so one wake() ends one wait. Returns false if the signal fired.
  bool waitForWake(int64_t ms);

  // The signal of the calling thread's innermost Scope; nullptr outside any scope.
  static const StopSignal* current();

  // Puts the calling thread under `signal` for the Scope's lifetime (scopes nest; the innermost
  // one counts).
  class Scope {
   public:
    explicit Scope(const StopSignal& signal);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    const StopSignal* previous_;
  };

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool stopped_ = false;
  bool woken_ = false;
  std::string reason_;
};

// True when the calling thread's StopSignal has fired; false outside any scope.
bool stopRequested();

// Sleeps `ms` milliseconds, or less when the calling thread's StopSignal fires (a plain sleep
// outside any scope). Returns false if it fired.
bool sleepUnlessStopped(int64_t ms);

}  // namespace wxb
