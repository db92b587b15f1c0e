// RateLimiter, the platform-call rate limit (sync.qps, notify.qps), driven by a ManualClock: the
// burst goes at once, then calls are spaced at the rate, debt queues concurrent callers, refills
// cap at the burst.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

#include "cron/clock.h"
#include "wechat/rate_limiter.h"

using namespace wxb;

BOOST_AUTO_TEST_SUITE(wechat_rate_limiter)

BOOST_AUTO_TEST_CASE(the_burst_goes_at_once_then_calls_wait_one_interval_each) {
  ManualClock clock;
  RateLimiter bucket(clock, 10, 3);  // 10 a second: one token per 100 ms
  BOOST_TEST(bucket.reserve() == 0);
  BOOST_TEST(bucket.reserve() == 0);
  BOOST_TEST(bucket.reserve() == 0);
  BOOST_TEST(bucket.reserve() == 100);
  BOOST_TEST(bucket.reserve() == 200);  // queued behind the previous reservation
  BOOST_TEST(bucket.reserve() == 300);
}

BOOST_AUTO_TEST_CASE(waiting_out_the_debt_lets_the_next_call_go_at_the_rate) {
  ManualClock clock;
  RateLimiter bucket(clock, 10, 1);
  BOOST_TEST(bucket.reserve() == 0);
  BOOST_TEST(bucket.reserve() == 100);
  clock.advance(100);  // the debt is paid: the next token is one interval away
  BOOST_TEST(bucket.reserve() == 100);
  clock.advance(150);  // paid, plus half a token
  BOOST_TEST(bucket.reserve() == 50);
  clock.advance(50);
  BOOST_TEST(bucket.reserve() == 100);
}

BOOST_AUTO_TEST_CASE(a_long_idle_refills_only_up_to_the_burst) {
  ManualClock clock;
  RateLimiter bucket(clock, 100, 5);
  for (int i = 0; i < 5; ++i) bucket.reserve();
  clock.advance(60'000);
  int immediate = 0;
  while (bucket.reserve() == 0) ++immediate;
  BOOST_TEST(immediate == 5);
}

BOOST_AUTO_TEST_CASE(the_average_rate_holds_over_many_calls) {
  ManualClock clock;
  RateLimiter bucket(clock, 500, 8);
  int64_t lastWait = 0;
  for (int i = 0; i < 1008; ++i) lastWait = bucket.reserve();
  // 1000 calls beyond the burst at 500 a second: the last one may go two seconds in.
  BOOST_TEST(lastWait == 2000);
}

BOOST_AUTO_TEST_CASE(zero_rate_means_no_limit) {
  ManualClock clock;
  RateLimiter bucket(clock, 0, 1);
  for (int i = 0; i < 1000; ++i) BOOST_TEST_REQUIRE(bucket.reserve() == 0);
}

BOOST_AUTO_TEST_CASE(concurrent_callers_get_distinct_slots) {
  ManualClock clock;
  RateLimiter bucket(clock, 1000, 1);
  std::vector<int64_t> waits(400);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) waits[t * 100 + i] = bucket.reserve();
    });
  }
  for (auto& t : threads) t.join();
  std::sort(waits.begin(), waits.end());
  for (int i = 0; i < 400; ++i) BOOST_TEST_REQUIRE(waits[i] == i);  // 0, 1, 2 ... 399 ms
}

BOOST_AUTO_TEST_SUITE_END()
