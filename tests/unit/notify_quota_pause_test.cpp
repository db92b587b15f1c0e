// The quota pause: a 45009 pauses template sends until the next midnight in China time, except
// just after a midnight, when our clock more likely runs ahead of the platform's.
#include <boost/test/unit_test.hpp>

#include "notify/quota_pause.h"
#include "support/utc_ms.h"

namespace wxb {

using test::utcMs;

BOOST_AUTO_TEST_SUITE(notify_quota_pause)

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
