// Scheduler: runs named jobs (the nightly follower sync, the unread digest) at the fire times of
// their cron expressions. `serve` registers the jobs, calls start() and, on shutdown, stop().
// Tests drive it without threads of their own: a ManualClock plus runDue() and waitIdle().
//
// Each run happens on a worker thread of its own job, so a slow job never delays another. A job
// never runs twice at once: a fire that comes while the previous run is still going is skipped
// (and logged). Several fires that fall due together (the clock jumped, the host slept) run once.
//
// Misfires: a job's schedule starts at the first runDue() after add(). At that point, if the
// FireLog's last fire of the job is older than the job's most recent scheduled fire time and
// that fire time is at most misfireGraceMs ago, the missed fire runs once at once. A job with
// no recorded fire has missed nothing. While running, a fire dispatched more than
// misfireGraceMs late is not run either. The fire time is recorded when its run starts.
//
// An exception thrown by a job is caught, logged on "wxb.cron" and counted; the scheduler goes
// on. A run goes on under the scheduler's StopSignal (cron/stop_signal.h): stop() cuts the
// platform retries of the runs in progress short (a token refresh waiting out a platform that is
// gone), so that serve's stop does not wait for them. A job that installs a signal of its own
// stops on that one only (the innermost scope counts): the sync job stops by SyncRunner::stop,
// which serve must call before this stop() (bridge/cli/cmd_serve.cpp), or stop() waits out the
// whole sync. All public methods are thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cron/clock.h"
#include "cron/cron_expr.h"
#include "cron/stop_signal.h"
#include "cron/timed_loop.h"

namespace wxb {

// Where a job's last fire time is kept across restarts (the store implements it). Calls come
// from the scheduler thread and from worker threads, so implementations must be thread-safe.
// Exceptions are caught and logged by the scheduler.
class FireLog {
 public:
  virtual ~FireLog() = default;
  virtual std::optional<int64_t> lastFireMs(const std::string& job) = 0;
  virtual void recordFireMs(const std::string& job, int64_t fireMs) = 0;
};

inline constexpr int64_t kMinMisfireGraceMs = 1'000;

struct SchedulerSettings {
  // How late a fire may still run, both for fires missed while stopped and for late wake-ups.
  // At least kMinMisfireGraceMs, so that the background loop's own latency is never a misfire.
  int64_t misfireGraceMs = 5 * 60'000;
  // The background loop re-reads the clock at least this often, so it follows a clock that
  // jumps (or a ManualClock) without being told.
  int64_t maxWaitMs = 1'000;
};

struct CronJob {
  std::string name;
  CronExpr expr;
  const date::time_zone* zone = nullptr;  // nullptr: UTC
  std::function<void()> run;
};

// Counters of one job, for logs, metrics and tests.
struct JobStats {
  int64_t started = 0;                // runs begun, catch-ups included
  int64_t finished = 0;               // runs that returned or threw
  int64_t failed = 0;                 // runs that threw
  int64_t caughtUp = 0;               // missed fires run at start (misfire policy)
  int64_t skippedOverlap = 0;         // fires skipped because the previous run was still going
  int64_t missed = 0;                 // fires not run because they were more than the grace late
  std::optional<int64_t> nextFireMs;  // absent before the first runDue() or when none is left
  bool running = false;
};

class Scheduler {
 public:
  // `fireLog` may be null (no catch-up). Throws std::invalid_argument for settings out of range.
  Scheduler(const Clock& clock, FireLog* fireLog, SchedulerSettings settings = {});
  ~Scheduler();  // stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Registers a job. Throws std::invalid_argument for an empty or duplicate name or no function.
  void add(CronJob job);

  // Starts every run due at clock.nowMs() (catch-ups of newly added jobs first) and returns how
  // many it started; the runs go on in the background. Does nothing after stop().
  int runDue();

  // Blocks until no run is going; for tests and for an orderly shutdown.
  void waitIdle();

  // Runs runDue() on a background thread until stop(). Calling start() twice is a no-op.
  void start();
  // Stops the background thread, then waits for the running jobs to finish; their platform calls
  // are not retried any more.
  void stop();

  // Throws std::out_of_range for an unknown job.
  JobStats stats(const std::string& name) const;

 private:
  struct Job;

  std::vector<Job*> takeNewJobs();
  std::optional<int64_t> readLastFire(const std::string& name);
  void recordFire(const std::string& name, int64_t fireMs);
  int startJob(Job& job, int64_t nowMs, std::optional<int64_t> lastFireMs);
  int fireDue(Job& job, int64_t nowMs);
  bool dispatch(Job& job, int64_t fireMs);
  void runJob(Job& job, int64_t fireMs);
  int64_t waitMs() const;
  int64_t loopPass();

  const Clock& clock_;
  FireLog* fireLog_;
  const SchedulerSettings settings_;

  std::mutex runDueMutex_;    // one runDue() at a time (the loop and a caller may race)
  mutable std::mutex mutex_;  // guards idle_ and jobs_, and the firing of stopRuns_
  std::condition_variable idle_;
  std::vector<std::unique_ptr<Job>> jobs_;
  StopSignal stopRuns_;  // fired by stop(): no run starts, the runs' platform calls end
  TimedLoop loop_{[this] { return loopPass(); }};
};

}  // namespace wxb
