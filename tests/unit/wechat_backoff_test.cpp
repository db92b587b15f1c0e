// The one retry backoff (platform client, sync, outbox): exponential, capped, with equal jitter.
#include <boost/test/unit_test.hpp>

#include "wechat/backoff.h"

namespace wxb {

BOOST_AUTO_TEST_SUITE(wechat_backoff)

BOOST_AUTO_TEST_CASE(delays_double_with_each_attempt_up_to_the_cap) {
  BOOST_TEST(backoffMs(1, 2'000, 300'000, 0.0) == 1'000);
  BOOST_TEST(backoffMs(1, 2'000, 300'000, 0.5) == 1'500);
  BOOST_TEST(backoffMs(2, 2'000, 300'000, 0.0) == 2'000);
  BOOST_TEST(backoffMs(3, 2'000, 300'000, 0.0) == 4'000);
  BOOST_TEST(backoffMs(9, 2'000, 300'000, 0.0) == 150'000);
  BOOST_TEST(backoffMs(50, 2'000, 300'000, 1.0) == 300'000);
}

BOOST_AUTO_TEST_CASE(jitter_spreads_the_delay_over_its_upper_half) {
  for (double j : {0.0, 0.25, 0.5, 0.75, 0.99}) {
    int64_t d = backoffMs(4, 1'000, 60'000, j);
    BOOST_TEST(d >= 4'000);
    BOOST_TEST(d < 8'000);
  }
  BOOST_TEST(backoffMs(4, 1'000, 60'000, 0.25) < backoffMs(4, 1'000, 60'000, 0.75));
}

BOOST_AUTO_TEST_CASE(random_waits_stay_between_half_the_ceiling_and_the_cap) {
  for (int i = 0; i < 200; ++i) {
    int64_t d = jitteredBackoffMs(3, 100, 300);
    BOOST_TEST((d >= 150 && d <= 300));
    double unit = backoffJitter();
    BOOST_TEST((unit >= 0.0 && unit < 1.0));
  }
  BOOST_TEST(jitteredBackoffMs(1, 0, 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
