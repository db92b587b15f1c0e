// ScheduleEngine: the loop sleeps until the next fire (at most pollMs), wakes on a change, and
// survives a pass that throws. The passes here stand in for the store and record their calls.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "notify/schedules/schedule_engine.h"
#include "support/eventually.h"

using namespace wxb;
using wxb::test::eventually;

namespace {

// A pass that counts itself and finds nothing scheduled.
ScheduleEngine::FireDue countingPass(std::atomic<int>& passes) {
  return [&passes](int64_t) {
    ++passes;
    return std::optional<int64_t>{};
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_schedule_engine)

BOOST_AUTO_TEST_CASE(it_sleeps_until_the_next_fire_but_never_longer_than_the_poll) {
  ManualClock clock(1'000'000);
  std::optional<int64_t> next;
  int64_t passedNow = 0;
  ScheduleEngine engine(clock,
                        [&](int64_t now) {
                          passedNow = now;
                          return next;
                        },
                        {.pollMs = 5'000});
  next = 1'000'400;
  BOOST_TEST(engine.runOnce() == 400);
  BOOST_TEST(passedNow == 1'000'000);
  next = 1'900'000;
  BOOST_TEST(engine.runOnce() == 5'000);
  next.reset();
  BOOST_TEST(engine.runOnce() == 5'000);
  // Due already (the pass ran out of time, or another one came due meanwhile): at once.
  next = 999'000;
  BOOST_TEST(engine.runOnce() == 0);
}

BOOST_AUTO_TEST_CASE(a_wake_runs_a_pass_at_once_and_stop_does_not_wait_for_the_poll) {
  SystemClock clock;
  std::atomic<int> passes = 0;
  ScheduleEngine engine(clock, countingPass(passes), {.pollMs = 60'000});
  engine.start();
  BOOST_TEST(eventually([&] { return passes == 1; }));
  engine.wake();
  BOOST_TEST(eventually([&] { return passes == 2; }));
  auto before = std::chrono::steady_clock::now();
  engine.stop();
  BOOST_TEST((std::chrono::steady_clock::now() - before < std::chrono::seconds(5)));
  BOOST_TEST(passes == 2);
}

BOOST_AUTO_TEST_CASE(idle_it_asks_once_per_poll_and_does_not_spin) {
  SystemClock clock;
  std::atomic<int> passes = 0;
  ScheduleEngine engine(clock, countingPass(passes), {.pollMs = 50});
  engine.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  engine.stop();
  // About ten; a loop that spun would make thousands.
  BOOST_TEST(passes >= 3);
  BOOST_TEST(passes <= 30);
}

BOOST_AUTO_TEST_CASE(a_pass_that_throws_is_retried) {
  SystemClock clock;
  std::atomic<int> passes = 0;
  ScheduleEngine engine(clock,
                        [&](int64_t) -> std::optional<int64_t> {
                          if (++passes < 3) throw std::runtime_error("store unavailable");
                          return std::nullopt;
                        },
                        {.pollMs = 10});
  engine.start();
  BOOST_TEST(eventually([&] { return passes >= 3; }));
  engine.stop();
}

BOOST_AUTO_TEST_CASE(settings_out_of_range_are_refused) {
  ManualClock clock;
  auto none = [](int64_t) { return std::optional<int64_t>{}; };
  BOOST_CHECK_THROW(ScheduleEngine(clock, none, {.pollMs = 0}), std::invalid_argument);
  BOOST_CHECK_THROW(ScheduleEngine(clock, nullptr), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
