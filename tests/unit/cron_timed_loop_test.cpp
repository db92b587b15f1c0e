// TimedLoop: the first pass runs at start, the next after the wait the pass answered; wake()
// ends a sleep at once and is not lost when it comes during a pass; stop() ends a long sleep
// at once and a stopped loop starts again, also when the start races the stop; a wait longer
// than a day is a day; stop() cuts a pass's retry wait short. The waits are a minute long, so a
// pass seen within the test's few seconds came from a wake, never from the timer.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <limits>
#include <stdexcept>
#include <thread>

#include "cron/stop_signal.h"
#include "cron/timed_loop.h"
#include "support/eventually.h"

using namespace wxb;
using wxb::test::eventually;

namespace {

constexpr int64_t kMinute = 60'000;

// A pass that holds its first run until released, then asks for a minute's sleep each time.
struct HeldFirstPass {
  std::atomic<int> passes{0};
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();

  int64_t operator()() {
    if (++passes == 1) {
      entered.set_value();
      released.wait();
    }
    return kMinute;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cron_timed_loop)

BOOST_AUTO_TEST_CASE(a_pass_runs_at_start_then_after_its_wait_or_a_wake) {
  std::atomic<int> passes{0};
  std::atomic<int64_t> wait{kMinute};
  TimedLoop loop([&] {
    ++passes;
    return wait.load();
  });
  BOOST_TEST(passes == 0);  // nothing before start()
  loop.start();
  loop.start();  // a no-op: one thread
  BOOST_TEST(eventually([&] { return passes == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST(passes == 1);  // asleep for its minute
  wait = 10;
  loop.wake();
  BOOST_TEST(eventually([&] { return passes >= 5; }));  // now every 10 ms, by the timer
  wait = kMinute;
  loop.stop();
}

BOOST_AUTO_TEST_CASE(a_wake_during_a_pass_runs_the_next_pass_at_once) {
  HeldFirstPass held;
  auto& passes = held.passes;
  TimedLoop loop([&] { return held(); });
  loop.start();
  held.entered.get_future().wait();
  loop.wake();  // while the first pass runs
  held.release.set_value();
  BOOST_TEST(eventually([&] { return passes == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST(passes == 2);  // then asleep again
}

BOOST_AUTO_TEST_CASE(stop_ends_a_long_sleep_at_once_and_the_loop_starts_again) {
  std::atomic<int> passes{0};
  TimedLoop loop([&] {
    ++passes;
    return kMinute;
  });
  loop.start();
  BOOST_TEST(eventually([&] { return passes == 1; }));
  auto before = std::chrono::steady_clock::now();
  loop.stop();
  auto took = std::chrono::steady_clock::now() - before;
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(took).count() < 10);
  loop.stop();  // twice is harmless
  loop.start();
  BOOST_TEST(eventually([&] { return passes == 2; }));
}

// start() on one thread while stop() on another waits for a pass: the stop ends (the old
// thread is not revived by the start) and the start then runs a thread of its own (REVIEW4 R3).
BOOST_AUTO_TEST_CASE(a_start_during_a_stop_waits_for_it_and_the_stop_ends) {
  HeldFirstPass held;
  auto& passes = held.passes;
  std::atomic<bool> stopped{false}, started{false};
  TimedLoop loop([&] { return held(); });
  loop.start();
  held.entered.get_future().wait();
  std::thread stopper([&] {
    loop.stop();
    stopped = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the stop waits for the pass
  std::thread starter([&] {
    loop.start();
    started = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  held.release.set_value();
  BOOST_TEST(eventually([&] { return stopped.load(); }, 5'000));
  BOOST_TEST(eventually([&] { return started.load() && passes == 2; }, 5'000));
  loop.stop();  // on failure this ends both threads, so the test ends either way
  stopper.join();
  starter.join();
}

// A pass may answer "a very long time" (INT64_MAX): the loop sleeps until woken, no busy loop
// from an overflowing deadline (REVIEW4 R3).
BOOST_AUTO_TEST_CASE(a_wait_longer_than_a_day_sleeps_until_woken) {
  std::atomic<int> passes{0};
  TimedLoop loop([&] {
    ++passes;
    return std::numeric_limits<int64_t>::max();
  });
  loop.start();
  BOOST_TEST(eventually([&] { return passes >= 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  BOOST_TEST(passes == 1);
  loop.wake();
  BOOST_TEST(eventually([&] { return passes == 2; }));
  loop.stop();
}

// The pass runs under the loop's StopSignal: stop() ends a pass's backoff wait (as the
// CallbackWorker's platform retries wait) at once, and a wake() does not cut such a wait short.
BOOST_AUTO_TEST_CASE(stop_cuts_a_pass_s_retry_wait_short_and_a_wake_does_not) {
  std::atomic<int> passes{0};
  std::atomic<bool> waiting{false}, cut{false};
  TimedLoop loop([&] {
    ++passes;
    waiting = true;
    cut = !sleepUnlessStopped(20'000) && stopRequested();
    return kMinute;
  });
  loop.start();
  BOOST_TEST(eventually([&] { return waiting.load(); }));
  loop.wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST(passes == 1);  // still in its wait
  BOOST_TEST(!cut);
  auto before = std::chrono::steady_clock::now();
  loop.stop();
  auto took = std::chrono::steady_clock::now() - before;
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(took).count() < 10);
  BOOST_TEST(cut);
  BOOST_TEST(passes == 1);
  BOOST_TEST(!stopRequested());  // the test's own thread is under no signal
}

BOOST_AUTO_TEST_CASE(an_empty_pass_is_refused) {
  BOOST_CHECK_THROW(TimedLoop(TimedLoop::Pass{}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
