// Scheduler: dispatch at fire times, no overlapping runs, the misfire policy, the background
// thread and its stop cutting a run's retry wait short, all driven by a ManualClock.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "cron/iso_time.h"
#include "cron/scheduler.h"
#include "cron/stop_signal.h"
#include "support/eventually.h"

using namespace wxb;

namespace {

int64_t at(std::string_view iso) { return *parseIsoTime(iso, nullptr); }

// The store's FireLog, in memory.
class MemoryFireLog : public FireLog {
 public:
  std::optional<int64_t> lastFireMs(const std::string& job) override {
    std::lock_guard lock(mutex_);
    auto it = fires_.find(job);
    return it == fires_.end() ? std::nullopt : std::optional<int64_t>(it->second);
  }
  void recordFireMs(const std::string& job, int64_t fireMs) override {
    std::lock_guard lock(mutex_);
    fires_[job] = fireMs;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int64_t> fires_;
};

class BrokenFireLog : public FireLog {
 public:
  std::optional<int64_t> lastFireMs(const std::string&) override {
    throw std::runtime_error("store down");
  }
  void recordFireMs(const std::string&, int64_t) override {
    throw std::runtime_error("store down");
  }
};

// Holds a job inside its run until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

CronJob job(const std::string& name, std::string_view expr, std::function<void()> run) {
  return CronJob{name, *CronExpr::parse(expr), nullptr, std::move(run)};
}

using wxb::test::eventually;  // 1 ms polls, 2 s at most

}  // namespace

BOOST_AUTO_TEST_SUITE(cron_scheduler)

BOOST_AUTO_TEST_CASE(runs_a_job_once_when_its_fire_time_comes) {
  ManualClock clock(at("2026-01-01T01:59:00Z"));
  MemoryFireLog log;
  Scheduler scheduler(clock, &log);
  std::atomic<int> runs{0};
  scheduler.add(job("sync", "0 2 * * *", [&] { ++runs; }));
  BOOST_TEST(scheduler.runDue() == 0);
  BOOST_TEST(*scheduler.stats("sync").nextFireMs == at("2026-01-01T02:00:00Z"));
  clock.set(at("2026-01-01T01:59:59.999Z"));
  BOOST_TEST(scheduler.runDue() == 0);
  clock.set(at("2026-01-01T02:00:00Z"));
  BOOST_TEST(scheduler.runDue() == 1);
  BOOST_TEST(scheduler.runDue() == 0);
  scheduler.waitIdle();
  BOOST_TEST(runs == 1);
  BOOST_TEST(*log.lastFireMs("sync") == at("2026-01-01T02:00:00Z"));
  BOOST_TEST(*scheduler.stats("sync").nextFireMs == at("2026-01-02T02:00:00Z"));
}

BOOST_AUTO_TEST_CASE(skips_a_fire_while_the_previous_run_is_still_going) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  Scheduler scheduler(clock, nullptr);
  Gate gate;
  std::atomic<int> active{0}, maxActive{0}, runs{0};
  scheduler.add(job("digest", "* * * * *", [&] {
    maxActive = std::max(maxActive.load(), ++active);
    ++runs;
    if (runs == 1) gate.wait();
    --active;
  }));
  scheduler.runDue();
  clock.set(at("2026-01-01T00:01:00Z"));
  BOOST_TEST(scheduler.runDue() == 1);
  clock.set(at("2026-01-01T00:02:00Z"));
  BOOST_TEST(scheduler.runDue() == 0);
  BOOST_TEST(scheduler.stats("digest").skippedOverlap == 1);
  BOOST_TEST(scheduler.stats("digest").running);
  gate.open();
  scheduler.waitIdle();
  clock.set(at("2026-01-01T00:03:00Z"));
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  BOOST_TEST(runs == 2);
  BOOST_TEST(maxActive == 1);
  BOOST_TEST(scheduler.stats("digest").finished == 2);
}

BOOST_AUTO_TEST_CASE(catches_up_a_missed_fire_within_the_grace_period_once) {
  ManualClock clock(at("2026-01-02T02:03:00Z"));
  MemoryFireLog log;
  log.recordFireMs("sync", at("2026-01-01T02:00:00Z"));
  Scheduler scheduler(clock, &log, SchedulerSettings{.misfireGraceMs = 5 * 60'000});
  std::atomic<int> runs{0};
  scheduler.add(job("sync", "0 2 * * *", [&] { ++runs; }));
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  BOOST_TEST(runs == 1);
  BOOST_TEST(scheduler.stats("sync").caughtUp == 1);
  // The missed fire time is recorded, not the time it ran.
  BOOST_TEST(*log.lastFireMs("sync") == at("2026-01-02T02:00:00Z"));
  BOOST_TEST(*scheduler.stats("sync").nextFireMs == at("2026-01-03T02:00:00Z"));
  clock.advance(60'000);
  BOOST_TEST(scheduler.runDue() == 0);
  BOOST_TEST(runs == 1);
}

BOOST_AUTO_TEST_CASE(does_not_catch_up_a_fire_missed_beyond_the_grace_period) {
  ManualClock clock(at("2026-01-02T02:10:00Z"));
  MemoryFireLog log;
  log.recordFireMs("sync", at("2026-01-01T02:00:00Z"));
  Scheduler scheduler(clock, &log, SchedulerSettings{.misfireGraceMs = 5 * 60'000});
  std::atomic<int> runs{0};
  scheduler.add(job("sync", "0 2 * * *", [&] { ++runs; }));
  BOOST_TEST(scheduler.runDue() == 0);
  scheduler.waitIdle();
  BOOST_TEST(runs == 0);
  BOOST_TEST(scheduler.stats("sync").missed == 1);
  BOOST_TEST(*log.lastFireMs("sync") == at("2026-01-01T02:00:00Z"));
}

BOOST_AUTO_TEST_CASE(does_not_repeat_a_fire_that_already_ran) {
  ManualClock clock(at("2026-01-02T02:03:00Z"));
  MemoryFireLog log;
  log.recordFireMs("sync", at("2026-01-02T02:00:00Z"));  // e.g. another instance ran it
  Scheduler scheduler(clock, &log);
  std::atomic<int> runs{0};
  scheduler.add(job("sync", "0 2 * * *", [&] { ++runs; }));
  BOOST_TEST(scheduler.runDue() == 0);
  BOOST_TEST(scheduler.stats("sync").missed == 0);
}

BOOST_AUTO_TEST_CASE(a_job_never_fired_before_has_nothing_to_catch_up) {
  ManualClock clock(at("2026-01-02T02:03:00Z"));
  MemoryFireLog log;
  Scheduler scheduler(clock, &log);
  scheduler.add(job("sync", "0 2 * * *", [] {}));
  BOOST_TEST(scheduler.runDue() == 0);
  BOOST_TEST(!log.lastFireMs("sync").has_value());
}

BOOST_AUTO_TEST_CASE(catches_up_only_the_most_recent_missed_fire) {
  ManualClock clock(at("2026-01-01T02:03:30Z"));
  MemoryFireLog log;
  log.recordFireMs("tick", at("2026-01-01T01:50:00Z"));
  Scheduler scheduler(clock, &log, SchedulerSettings{.misfireGraceMs = 5 * 60'000});
  std::atomic<int> runs{0};
  scheduler.add(job("tick", "* * * * *", [&] { ++runs; }));
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  BOOST_TEST(runs == 1);
  BOOST_TEST(*log.lastFireMs("tick") == at("2026-01-01T02:03:00Z"));
}

BOOST_AUTO_TEST_CASE(fires_that_fall_due_together_run_once) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  MemoryFireLog log;
  Scheduler scheduler(clock, &log);
  std::atomic<int> runs{0};
  scheduler.add(job("tick", "* * * * *", [&] { ++runs; }));
  scheduler.runDue();
  clock.set(at("2026-01-01T00:03:30Z"));  // 00:01, 00:02 and 00:03 are all due
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  BOOST_TEST(runs == 1);
  BOOST_TEST(*log.lastFireMs("tick") == at("2026-01-01T00:03:00Z"));
  BOOST_TEST(*scheduler.stats("tick").nextFireMs == at("2026-01-01T00:04:00Z"));
}

BOOST_AUTO_TEST_CASE(a_fire_that_comes_due_beyond_the_grace_is_not_run) {
  ManualClock clock(at("2026-01-01T02:00:00Z"));
  Scheduler scheduler(clock, nullptr, SchedulerSettings{.misfireGraceMs = 5 * 60'000});
  std::atomic<int> runs{0};
  scheduler.add(job("sync", "0 3 * * *", [&] { ++runs; }));
  scheduler.runDue();
  clock.set(at("2026-01-01T03:30:00Z"));  // e.g. the host was suspended
  BOOST_TEST(scheduler.runDue() == 0);
  BOOST_TEST(runs == 0);
  BOOST_TEST(scheduler.stats("sync").missed == 1);
  BOOST_TEST(*scheduler.stats("sync").nextFireMs == at("2026-01-02T03:00:00Z"));
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_job_is_counted_and_the_schedule_goes_on) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  Scheduler scheduler(clock, nullptr);
  std::atomic<int> runs{0};
  scheduler.add(job("flaky", "* * * * *", [&] {
    if (++runs == 1) throw std::runtime_error("platform said no");
  }));
  scheduler.runDue();
  clock.set(at("2026-01-01T00:01:00Z"));
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  clock.set(at("2026-01-01T00:02:00Z"));
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  BOOST_TEST(runs == 2);
  BOOST_TEST(scheduler.stats("flaky").failed == 1);
  BOOST_TEST(scheduler.stats("flaky").finished == 2);
}

BOOST_AUTO_TEST_CASE(a_failing_fire_log_does_not_stop_the_job) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  BrokenFireLog log;
  Scheduler scheduler(clock, &log);
  std::atomic<int> runs{0};
  scheduler.add(job("tick", "* * * * *", [&] { ++runs; }));
  scheduler.runDue();
  clock.set(at("2026-01-01T00:01:00Z"));
  BOOST_TEST(scheduler.runDue() == 1);
  scheduler.waitIdle();
  BOOST_TEST(runs == 1);
}

BOOST_AUTO_TEST_CASE(background_thread_follows_a_manual_clock) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  Scheduler scheduler(clock, nullptr, SchedulerSettings{.maxWaitMs = 2});
  std::atomic<int> runs{0};
  scheduler.add(job("tick", "* * * * *", [&] { ++runs; }));
  scheduler.start();
  BOOST_TEST(eventually([&] { return scheduler.stats("tick").nextFireMs.has_value(); }));
  BOOST_TEST(runs == 0);
  clock.set(at("2026-01-01T00:01:00Z"));
  BOOST_TEST(eventually([&] { return runs == 1; }));
  scheduler.stop();
  clock.set(at("2026-01-01T00:02:00Z"));
  BOOST_TEST(scheduler.runDue() == 0);  // stopped
  BOOST_TEST(runs == 1);
}

BOOST_AUTO_TEST_CASE(stop_waits_for_running_jobs_to_finish) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  Scheduler scheduler(clock, nullptr, SchedulerSettings{.maxWaitMs = 2});
  Gate gate;
  std::atomic<bool> finished{false};
  scheduler.add(job("slow", "* * * * *", [&] {
    gate.wait();
    finished = true;
  }));
  scheduler.start();
  BOOST_TEST(eventually([&] { return scheduler.stats("slow").nextFireMs.has_value(); }));
  clock.set(at("2026-01-01T00:01:00Z"));
  BOOST_TEST(eventually([&] { return scheduler.stats("slow").running; }));
  auto stopped = std::async(std::launch::async, [&] { scheduler.stop(); });
  BOOST_TEST((stopped.wait_for(std::chrono::milliseconds(20)) == std::future_status::timeout));
  gate.open();
  stopped.get();
  BOOST_TEST(finished);
}

// A run goes on under the scheduler's StopSignal: stop() ends a run's backoff wait (as the token
// refresh's or the sync's platform retries wait) at once instead of waiting it out.
BOOST_AUTO_TEST_CASE(stop_cuts_a_running_job_s_retry_wait_short) {
  ManualClock clock(at("2026-01-01T00:00:30Z"));
  Scheduler scheduler(clock, nullptr, SchedulerSettings{.maxWaitMs = 2});
  std::atomic<bool> waiting{false}, cut{false};
  scheduler.add(job("retrying", "* * * * *", [&] {
    waiting = true;
    cut = !sleepUnlessStopped(20'000) && stopRequested();
  }));
  scheduler.start();
  BOOST_TEST(eventually([&] { return scheduler.stats("retrying").nextFireMs.has_value(); }));
  clock.set(at("2026-01-01T00:01:00Z"));
  BOOST_TEST(eventually([&] { return waiting.load(); }));
  auto stopped = std::async(std::launch::async, [&] { scheduler.stop(); });
  BOOST_TEST((stopped.wait_for(std::chrono::seconds(10)) == std::future_status::ready));
  stopped.get();
  BOOST_TEST(cut);
  scheduler.start();  // a start clears the stop: the next run is not cut short
  BOOST_TEST(eventually([&] { return !scheduler.stats("retrying").running; }));
  waiting = false;
  cut = false;
  clock.set(at("2026-01-01T00:02:00Z"));
  BOOST_TEST(eventually([&] { return waiting.load(); }));
  BOOST_TEST(scheduler.stats("retrying").running);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(scheduler.stats("retrying").running);  // sleeping its 20 s
  scheduler.stop();
  BOOST_TEST(cut);
}

BOOST_AUTO_TEST_CASE(rejects_duplicate_jobs_and_bad_settings) {
  ManualClock clock;
  Scheduler scheduler(clock, nullptr);
  scheduler.add(job("sync", "@daily", [] {}));
  BOOST_CHECK_THROW(scheduler.add(job("sync", "@hourly", [] {})), std::invalid_argument);
  BOOST_CHECK_THROW(scheduler.add(job("empty", "@hourly", nullptr)), std::invalid_argument);
  BOOST_CHECK_THROW(Scheduler(clock, nullptr, SchedulerSettings{.misfireGraceMs = 0}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(scheduler.stats("nope"), std::out_of_range);
}

BOOST_AUTO_TEST_SUITE_END()
