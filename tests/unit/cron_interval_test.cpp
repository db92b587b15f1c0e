// findGapBelow: the shortest gap between consecutive fires, as min_interval_seconds checks it.
// Daylight-saving instants were checked with GNU date (`TZ=America/New_York date -d @...`).
#include "cron/cron_interval.h"

#include <date/tz.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "cron/iso_time.h"

namespace {

struct Window {
  const char* zone = "UTC";
  const char* from = "2026-01-01T00:00:00Z";
  const char* until = nullptr;
};

std::optional<wxb::CronGap> gapBelow(std::string_view expr, int64_t minSeconds,
                                     Window window = {}) {
  auto parsed = wxb::CronExpr::parse(expr);
  BOOST_REQUIRE_MESSAGE(parsed, "parse failed: " << expr);
  const date::time_zone* zone = date::locate_zone(window.zone);
  auto from = wxb::parseIsoTime(window.from, zone);
  BOOST_REQUIRE(from);
  std::optional<int64_t> until;
  if (window.until) until = *wxb::parseIsoTime(window.until, zone);
  return wxb::findGapBelow(*parsed, zone, *from, until, minSeconds);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cron_interval)

BOOST_AUTO_TEST_CASE(every_minute_is_exactly_sixty_seconds_apart) {
  BOOST_TEST(!gapBelow("* * * * *", 60));
  auto gap = gapBelow("* * * * *", 61);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 60);
  BOOST_TEST(gap->where == "00:00:00 and 00:01:00");
}

BOOST_AUTO_TEST_CASE(the_shortest_gap_of_an_uneven_pattern_is_found_wherever_it_is) {
  // 09:00:00, 09:00:50, 09:01:00, 09:01:50, ...: the seconds field gives 50, the minute wrap 10.
  auto gap = gapBelow("0,50 0,1 9,10 * * *", 3600);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 10);
  BOOST_TEST(gap->where == "09:00:50 and 09:01:00");
  // Hours 9 and 10, minutes 0 and 59: 09:59 to 10:00 is one minute.
  gap = gapBelow("0,59 9,10 * * *", 600);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 60);
  BOOST_TEST(gap->where == "09:59:00 and 10:00:00");
  BOOST_TEST(!gapBelow("0,59 9,10 * * *", 60));
}

BOOST_AUTO_TEST_CASE(late_and_early_times_count_only_when_consecutive_days_both_fire) {
  // 23:00 and 00:00 the next day are an hour apart every day ...
  auto gap = gapBelow("0 0,23 * * *", 7200);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 3600);
  BOOST_TEST(gap->where == "23:00:00 and 00:00:00 the next day");
  // ... on Friday night to Saturday ...
  BOOST_TEST(gapBelow("0 0,23 * * FRI,SAT", 7200)->seconds == 3600);
  // ... from the last day of a month to the first of the next ...
  BOOST_TEST(gapBelow("0 0,23 1,L * *", 7200)->seconds == 3600);
  // ... but never when no two firing days are consecutive: then 23 hours apart.
  BOOST_TEST(!gapBelow("0 0,23 * * MON,WED,FRI", 7200));
  BOOST_TEST(gapBelow("0 0,23 * * MON,WED,FRI", 90'000)->seconds == 82'800);
  // Only in leap years: February 28th and 29th.
  BOOST_TEST(gapBelow("0 0,23 28,29 2 *", 7200)->seconds == 3600);
}

BOOST_AUTO_TEST_CASE(consecutive_days_count_only_inside_the_window) {
  // Saturday 2026-01-03 and Sunday 2026-01-04 fire; the window ends before the Sunday.
  Window saturday{"UTC", "2026-01-03T00:00:00Z", "2026-01-03T23:59:59Z"};
  BOOST_TEST(!gapBelow("0 0,23 * * SAT,SUN", 7200, saturday));
  Window weekend{"UTC", "2026-01-03T00:00:00Z", "2026-01-04T23:59:59Z"};
  BOOST_TEST(gapBelow("0 0,23 * * SAT,SUN", 7200, weekend)->seconds == 3600);
}

BOOST_AUTO_TEST_CASE(a_fire_moved_past_a_spring_forward_gap_can_come_close_to_the_next) {
  // New York 2026-03-08: 02:30 does not exist and fires at 03:00, half an hour before 03:30.
  Window ny{"America/New_York", "2026-01-01T00:00:00-05:00"};
  auto gap = gapBelow("30 2,3 * * *", 3600, ny);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 1800);
  BOOST_TEST(gap->where == "2026-03-08T03:00:00-04:00 and 2026-03-08T03:30:00-04:00");
  // The same expression in a zone without daylight saving is an hour apart.
  BOOST_TEST(!gapBelow("30 2,3 * * *", 3600, {"Asia/Shanghai", "2026-01-01T00:00:00+08:00"}));
  // A window that ends before the change never sees it.
  BOOST_TEST(!gapBelow("30 2,3 * * *", 3600,
                       {"America/New_York", "2026-01-01T00:00:00-05:00", "2026-03-01T00:00:00"}));
  // With seconds: 02:00:59 moves to 03:00:00, 59 seconds before the ordinary 03:00:59.
  gap = gapBelow("59 0 2,3 * * *", 60, ny);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 59);
}

BOOST_AUTO_TEST_CASE(daylight_saving_changes_alone_do_not_make_a_pattern_more_frequent) {
  Window ny{"America/New_York", "2026-01-01T00:00:00-05:00"};
  // A 23-hour day: daily stays daily.
  BOOST_TEST(!gapBelow("0 9 * * *", 86'400, ny));
  // 01:00 EST to 03:00 EDT is one real hour but two on the clock.
  BOOST_TEST(!gapBelow("0 1,3 * * *", 7200, ny));
  // Hourly through the gap and through the repeated hour.
  BOOST_TEST(!gapBelow("0 * * * *", 3600, ny));
  BOOST_TEST(!gapBelow("*/30 * * * *", 1800, ny));
  // A fixed time in the gap fires at 03:00, and 23.5 hours later at 02:30: closer than a day
  // on the clock and in real time, but nowhere near an hour.
  BOOST_TEST(!gapBelow("30 2 * * *", 3600, ny));
  auto gap = gapBelow("30 2 * * *", 86'400, ny);
  BOOST_REQUIRE(gap);
  BOOST_TEST(gap->seconds == 84'600);
  BOOST_TEST(gap->where == "2026-03-08T03:00:00-04:00 and 2026-03-09T02:30:00-04:00");
}

BOOST_AUTO_TEST_CASE(an_expression_that_never_fires_has_no_gap) {
  BOOST_TEST(!gapBelow("* * 30 2 *", 3600));
  BOOST_TEST(!gapBelow("* * * ? * * 2025", 3600));
}

BOOST_AUTO_TEST_SUITE_END()
