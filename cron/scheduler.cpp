#include "cron/scheduler.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <system_error>

#include "cron/iso_time.h"

namespace wxb {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.cron"); }

// The latest fire time of `job` in [fromMs, toMs], or nullopt.
std::optional<int64_t> latestFireBetween(const CronJob& job, int64_t fromMs, int64_t toMs) {
  std::optional<int64_t> latest;
  for (auto fire = job.expr.nextAfter(fromMs - 1, job.zone); fire && *fire <= toMs;
       fire = job.expr.nextAfter(*fire, job.zone)) {
    latest = fire;
  }
  return latest;
}

std::string when(const CronJob& job, std::optional<int64_t> ms) {
  return ms ? formatIsoTime(*ms, job.zone) : std::string("never");
}

}  // namespace

struct Scheduler::Job {
  explicit Job(CronJob job) : spec(std::move(job)) {}

  CronJob spec;
  bool scheduled = false;  // the first runDue() after add() has started its schedule
  bool running = false;
  int64_t runningFireMs = 0;
  JobStats stats;
  std::thread worker;  // the latest run's thread; joined before the next run or at stop()
};

Scheduler::Scheduler(const Clock& clock, FireLog* fireLog, SchedulerSettings settings)
    : clock_(clock), fireLog_(fireLog), settings_(settings) {
  if (settings_.misfireGraceMs < kMinMisfireGraceMs) {
    throw std::invalid_argument("scheduler: misfireGraceMs must be at least " +
                                std::to_string(kMinMisfireGraceMs) + ", got " +
                                std::to_string(settings_.misfireGraceMs));
  }
  if (settings_.maxWaitMs < 1 || settings_.maxWaitMs > 60'000) {
    throw std::invalid_argument("scheduler: maxWaitMs must be 1-60000, got " +
                                std::to_string(settings_.maxWaitMs));
  }
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(CronJob job) {
  if (job.name.empty()) throw std::invalid_argument("scheduler: a job needs a name");
  if (!job.run) throw std::invalid_argument("scheduler: job '" + job.name + "' has no function");
  {
    std::lock_guard lock(mutex_);
    for (const auto& existing : jobs_) {
      if (existing->spec.name == job.name) {
        throw std::invalid_argument("scheduler: job '" + job.name + "' is already registered");
      }
    }
    jobs_.push_back(std::make_unique<Job>(std::move(job)));
  }
  loop_.wake();
}

int Scheduler::runDue() {
  std::lock_guard serial(runDueMutex_);
  std::vector<Job*> fresh = takeNewJobs();
  // The FireLog may be a remote store: read it without holding the lock the workers need.
  std::vector<std::optional<int64_t>> lastFires;
  for (Job* job : fresh) lastFires.push_back(readLastFire(job->spec.name));
  std::lock_guard lock(mutex_);
  if (stopRuns_.stopped()) return 0;
  int64_t now = clock_.nowMs();
  int started = 0;
  for (size_t i = 0; i < fresh.size(); ++i) started += startJob(*fresh[i], now, lastFires[i]);
  for (auto& job : jobs_) {
    auto next = job->stats.nextFireMs;
    if (job->scheduled && next && *next <= now) started += fireDue(*job, now);
  }
  return started;
}

std::vector<Scheduler::Job*> Scheduler::takeNewJobs() {
  std::lock_guard lock(mutex_);
  std::vector<Job*> fresh;
  for (auto& job : jobs_) {
    if (!job->scheduled) fresh.push_back(job.get());
  }
  return fresh;
}

std::optional<int64_t> Scheduler::readLastFire(const std::string& name) {
  if (fireLog_ == nullptr) return std::nullopt;
  try {
    return fireLog_->lastFireMs(name);
  } catch (const std::exception& e) {
    logger().error("cron job '%s': cannot read its last fire time, no catch-up: %s", name,
                   std::string(e.what()));
    return std::nullopt;
  }
}

void Scheduler::recordFire(const std::string& name, int64_t fireMs) {
  if (fireLog_ == nullptr) return;
  try {
    fireLog_->recordFireMs(name, fireMs);
  } catch (const std::exception& e) {
    logger().error("cron job '%s': cannot record fire time %?d: %s", name, fireMs,
                   std::string(e.what()));
  }
}

// The misfire policy: run the most recent missed fire if it is within the grace period.
int Scheduler::startJob(Job& job, int64_t nowMs, std::optional<int64_t> lastFireMs) {
  const CronJob& spec = job.spec;
  job.scheduled = true;
  job.stats.nextFireMs = spec.expr.nextAfter(nowMs, spec.zone);
  logger().information("cron job '%s' scheduled as '%s', next fire %s, last fire %s", spec.name,
                       spec.expr.text(), when(spec, job.stats.nextFireMs), when(spec, lastFireMs));
  if (!lastFireMs) return 0;
  int64_t windowStart = std::max(*lastFireMs + 1, nowMs - settings_.misfireGraceMs);
  if (auto missed = latestFireBetween(spec, windowStart, nowMs)) {
    ++job.stats.caughtUp;
    logger().warning("cron job '%s' missed its fire at %s (%?d s ago), running it now", spec.name,
                     when(spec, missed), (nowMs - *missed) / 1000);
    return dispatch(job, *missed) ? 1 : 0;
  }
  auto firstMissed = spec.expr.nextAfter(*lastFireMs, spec.zone);
  if (firstMissed && *firstMissed <= nowMs) {
    ++job.stats.missed;
    logger().warning("cron job '%s' missed its fires since %s, beyond the %?d s grace; not run",
                     spec.name, when(spec, firstMissed), settings_.misfireGraceMs / 1000);
  }
  return 0;
}

// A scheduled fire has come due; several due together run once, at the latest of them.
int Scheduler::fireDue(Job& job, int64_t nowMs) {
  const CronJob& spec = job.spec;
  int64_t due = *job.stats.nextFireMs;
  job.stats.nextFireMs = spec.expr.nextAfter(nowMs, spec.zone);
  auto latest = latestFireBetween(spec, std::max(due, nowMs - settings_.misfireGraceMs), nowMs);
  if (!latest) {
    ++job.stats.missed;
    logger().warning("cron job '%s': fire at %s came due %?d ms late, beyond the grace; not run",
                     spec.name, when(spec, due), nowMs - due);
    return 0;
  }
  if (*latest != due) {
    logger().warning("cron job '%s': fires from %s to %s came due together; running once",
                     spec.name, when(spec, due), when(spec, latest));
  }
  return dispatch(job, *latest) ? 1 : 0;
}

// Starts a run on the job's worker thread unless one is going. Called with mutex_ held.
bool Scheduler::dispatch(Job& job, int64_t fireMs) {
  if (job.running) {
    ++job.stats.skippedOverlap;
    logger().warning("cron job '%s' is still running (fire %s); fire at %s skipped", job.spec.name,
                     when(job.spec, job.runningFireMs), when(job.spec, fireMs));
    return false;
  }
  // The previous run has cleared `running`, so its thread is exiting: this join is brief.
  if (job.worker.joinable()) job.worker.join();
  try {
    job.worker = std::thread(&Scheduler::runJob, this, std::ref(job), fireMs);
  } catch (const std::system_error& e) {
    logger().error("cron job '%s': cannot start a thread: %s", job.spec.name,
                   std::string(e.what()));
    return false;
  }
  job.running = true;
  job.runningFireMs = fireMs;
  ++job.stats.started;
  return true;
}

// The body of a worker thread: one run, with its outcome logged and counted.
void Scheduler::runJob(Job& job, int64_t fireMs) {
  StopSignal::Scope scope(stopRuns_);
  recordFire(job.spec.name, fireMs);
  auto start = std::chrono::steady_clock::now();
  std::string failure;
  try {
    job.spec.run();
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an exception not derived from std::exception";
  }
  int64_t tookMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (failure.empty()) {
    logger().information("cron job '%s' (fire %s) finished in %?d ms", job.spec.name,
                         when(job.spec, fireMs), tookMs);
  } else {
    logger().error("cron job '%s' (fire %s) failed after %?d ms: %s", job.spec.name,
                   when(job.spec, fireMs), tookMs, failure);
  }
  {
    std::lock_guard lock(mutex_);
    job.running = false;
    ++job.stats.finished;
    if (!failure.empty()) ++job.stats.failed;
  }
  idle_.notify_all();
}

void Scheduler::waitIdle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] {
    return std::none_of(jobs_.begin(), jobs_.end(), [](const auto& job) { return job->running; });
  });
}

// How long the loop may sleep: until the earliest next fire, at most maxWaitMs, and not at all
// when a job waits for its first runDue(). Called with mutex_ held.
int64_t Scheduler::waitMs() const {
  int64_t now = clock_.nowMs();
  int64_t wait = settings_.maxWaitMs;
  for (const auto& job : jobs_) {
    if (!job->scheduled) return 0;
    if (job->stats.nextFireMs) wait = std::min(wait, *job->stats.nextFireMs - now);
  }
  return std::max<int64_t>(wait, 0);
}

// The background loop's round: due runs started, then the wait until the next.
int64_t Scheduler::loopPass() {
  try {
    runDue();
  } catch (const std::exception& e) {
    logger().error("scheduler: runDue failed, retrying: %s", std::string(e.what()));
  }
  std::lock_guard lock(mutex_);
  return waitMs();
}

void Scheduler::start() {
  {
    std::lock_guard lock(mutex_);
    stopRuns_.reset();
  }
  loop_.start();
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopRuns_.request();
  }
  loop_.stop();
  // No run starts once stopRuns_ fired (runDue checks it under the same lock), so the
  // threads collected here are all there are. They need mutex_ to finish: join without it.
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    for (auto& job : jobs_) {
      if (job->worker.joinable()) workers.push_back(std::move(job->worker));
    }
  }
  for (auto& worker : workers) worker.join();
}

JobStats Scheduler::stats(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& job : jobs_) {
    if (job->spec.name != name) continue;
    JobStats stats = job->stats;
    stats.running = job->running;
    return stats;
  }
  throw std::out_of_range("scheduler: no job named '" + name + "'");
}

}  // namespace wxb
