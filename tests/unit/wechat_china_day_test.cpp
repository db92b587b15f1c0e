// The platform's day: it changes at midnight China time (UTC+8), where the daily quotas and the
// forced-refresh count reset.
#include <boost/test/unit_test.hpp>

#include "support/utc_ms.h"
#include "wechat/china_day.h"

namespace wxb {

using test::utcMs;

BOOST_AUTO_TEST_SUITE(wechat_china_day)

BOOST_AUTO_TEST_CASE(china_day_changes_at_midnight_china_time) {
  // 2026-11-21T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 22nd there.
  BOOST_TEST(chinaDay(1'795'276'799'000) == "2026-11-21");
  BOOST_TEST(chinaDay(1'795'276'800'000) == "2026-11-22");
}

BOOST_AUTO_TEST_CASE(the_quota_resets_at_the_next_midnight_china_time) {
  // 2026-11-21 15:59:59 UTC is 23:59:59 in Shanghai; midnight is 16:00 UTC.
  BOOST_TEST(nextChinaMidnightMs(utcMs(2026, 11, 21, 15, 59, 59)) == utcMs(2026, 11, 21, 16, 0));
  BOOST_TEST(nextChinaMidnightMs(utcMs(2026, 11, 21, 16, 0)) == utcMs(2026, 11, 22, 16, 0));
  BOOST_TEST(nextChinaMidnightMs(utcMs(2026, 11, 21, 3, 0)) == utcMs(2026, 11, 21, 16, 0));
}

BOOST_AUTO_TEST_CASE(day_and_midnight_agree_before_1970_too) {
  BOOST_TEST(chinaDay(utcMs(1969, 12, 31, 15, 59, 59)) == "1969-12-31");
  BOOST_TEST(chinaDay(utcMs(1969, 12, 31, 16, 0)) == "1970-01-01");
  BOOST_TEST(nextChinaMidnightMs(utcMs(1969, 12, 31, 3, 0)) == utcMs(1969, 12, 31, 16, 0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
