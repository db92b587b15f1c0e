// Retry timing and the quota pause: exponential backoff with equal jitter, and the next
// midnight in China time as the end of a 45009 pause.
#include <boost/test/unit_test.hpp>

#include "notify/backoff.h"
#include "support/utc_ms.h"

namespace wxb {

using test::utcMs;

BOOST_AUTO_TEST_SUITE(notify_backoff)

BOOST_AUTO_TEST_CASE(delays_double_with_each_attempt_up_to_the_cap) {
  BOOST_TEST(retryDelayMs(1, 2'000, 300'000, 0.0) == 1'000);
  BOOST_TEST(retryDelayMs(1, 2'000, 300'000, 0.5) == 1'500);
  BOOST_TEST(retryDelayMs(2, 2'000, 300'000, 0.0) == 2'000);
  BOOST_TEST(retryDelayMs(3, 2'000, 300'000, 0.0) == 4'000);
  BOOST_TEST(retryDelayMs(9, 2'000, 300'000, 0.0) == 150'000);
  BOOST_TEST(retryDelayMs(50, 2'000, 300'000, 1.0) == 300'000);
}

BOOST_AUTO_TEST_CASE(jitter_spreads_the_delay_over_its_upper_half) {
  for (double j : {0.0, 0.25, 0.5, 0.75, 0.99}) {
    int64_t d = retryDelayMs(4, 1'000, 60'000, j);
    BOOST_TEST(d >= 4'000);
    BOOST_TEST(d < 8'000);
  }
  BOOST_TEST(retryDelayMs(4, 1'000, 60'000, 0.25) < retryDelayMs(4, 1'000, 60'000, 0.75));
}

BOOST_AUTO_TEST_CASE(the_quota_resets_at_the_next_midnight_china_time) {
  // 2026-11-21 15:59:59 UTC is 23:59:59 in Shanghai; midnight is 16:00 UTC.
  BOOST_TEST(nextChinaMidnightMs(utcMs(2026, 11, 21, 15, 59, 59)) == utcMs(2026, 11, 21, 16, 0));
  BOOST_TEST(nextChinaMidnightMs(utcMs(2026, 11, 21, 16, 0)) == utcMs(2026, 11, 22, 16, 0));
  BOOST_TEST(nextChinaMidnightMs(utcMs(2026, 11, 21, 3, 0)) == utcMs(2026, 11, 21, 16, 0));
}

BOOST_AUTO_TEST_CASE(a_quota_refusal_pauses_until_midnight) {
  int64_t afternoon = utcMs(2026, 11, 21, 7, 30);  // 15:30 in Shanghai
  BOOST_TEST(quotaPauseUntilMs(afternoon) == utcMs(2026, 11, 21, 16, 0));
}

BOOST_AUTO_TEST_CASE(a_refusal_just_after_midnight_pauses_briefly_in_case_our_clock_is_ahead) {
  int64_t justAfter = utcMs(2026, 11, 21, 16, 2);  // 00:02 in Shanghai
  BOOST_TEST(quotaPauseUntilMs(justAfter) == justAfter + kQuotaGracePauseMs);
  int64_t later = utcMs(2026, 11, 21, 16, 20);
  BOOST_TEST(quotaPauseUntilMs(later) == utcMs(2026, 11, 22, 16, 0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
