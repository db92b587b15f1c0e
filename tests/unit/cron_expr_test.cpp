// CronExpr: grammar, day rules and fire times. Every expected date below was checked with
// GNU date (e.g. `date -d 2026-08-01 +%a`, `TZ=America/New_York date -d @1772953200`), not
// with this implementation.
#include "cron/cron_expr.h"

#include <date/tz.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "support/cron_fires.h"

using wxb::CronExpr;

namespace {

using wxb::test::Times;

// The first `count` fire times of `expr` after `from`, formatted in `zone`.
Times fires(std::string_view expr, std::string_view from, int count, const char* zone = "UTC") {
  return wxb::test::cronFires(expr, from, count, zone);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cron_expr)

BOOST_AUTO_TEST_CASE(steps_fire_on_multiples_of_the_step) {
  BOOST_TEST(fires("*/5 * * * *", "2026-01-01T00:02:00Z", 3) ==
                 (Times{"2026-01-01T00:05:00+00:00", "2026-01-01T00:10:00+00:00",
                        "2026-01-01T00:15:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(fires("1-30/10 * * * *", "2026-01-01T00:00:00Z", 4) ==
                 (Times{"2026-01-01T00:01:00+00:00", "2026-01-01T00:11:00+00:00",
                        "2026-01-01T00:21:00+00:00", "2026-01-01T01:01:00+00:00"}),
             boost::test_tools::per_element());
  // Quartz "5/15": from 5 to the end of the range, every 15.
  BOOST_TEST(fires("5/15 * * * *", "2026-01-01T00:00:00Z", 5) ==
                 (Times{"2026-01-01T00:05:00+00:00", "2026-01-01T00:20:00+00:00",
                        "2026-01-01T00:35:00+00:00", "2026-01-01T00:50:00+00:00",
                        "2026-01-01T01:05:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(next_fire_is_strictly_after_the_start) {
  BOOST_TEST(fires("0 12 * * *", "2026-01-01T12:00:00Z", 1) == Times{"2026-01-02T12:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(
      fires("0 12 * * *", "2026-01-01T11:59:59.999Z", 1) == Times{"2026-01-01T12:00:00+00:00"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(day_31_skips_months_without_one) {
  BOOST_TEST(fires("0 0 31 * *", "2026-01-31T00:00:00Z", 5) ==
                 (Times{"2026-03-31T00:00:00+00:00", "2026-05-31T00:00:00+00:00",
                        "2026-07-31T00:00:00+00:00", "2026-08-31T00:00:00+00:00",
                        "2026-10-31T00:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fires_on_leap_day_only_in_leap_years) {
  BOOST_TEST(fires("0 0 29 2 *", "2026-01-01T00:00:00Z", 3) ==
                 (Times{"2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00",
                        "2036-02-29T00:00:00+00:00"}),
             boost::test_tools::per_element());
  // 2100 is not a leap year (divisible by 100, not by 400).
  BOOST_TEST(fires("0 0 29 2 *", "2096-03-01T00:00:00Z", 1) == Times{"2104-02-29T00:00:00+00:00"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(l_is_the_last_day_and_l_minus_n_counts_back_from_it) {
  BOOST_TEST(fires("0 0 L * *", "2028-01-15T00:00:00Z", 4) ==
                 (Times{"2028-01-31T00:00:00+00:00", "2028-02-29T00:00:00+00:00",
                        "2028-03-31T00:00:00+00:00", "2028-04-30T00:00:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 0 0 L-3 * ?", "2026-01-01T00:00:00Z", 4) ==
                 (Times{"2026-01-28T00:00:00+00:00", "2026-02-25T00:00:00+00:00",
                        "2026-03-28T00:00:00+00:00", "2026-04-27T00:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lw_is_the_last_weekday_of_the_month) {
  // 2026-01-31 and 2026-02-28 are Saturdays, 2026-05-31 is a Sunday.
  BOOST_TEST(fires("0 0 LW * *", "2026-01-01T00:00:00Z", 5) ==
                 (Times{"2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00",
                        "2026-03-31T00:00:00+00:00", "2026-04-30T00:00:00+00:00",
                        "2026-05-29T00:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(w_moves_to_the_nearest_weekday_within_the_month) {
  // 15th: Thu 2026-01-15 stays; Sun 02-15 and Sun 03-15 move to Monday.
  BOOST_TEST(fires("0 0 0 15W * ?", "2026-01-01T00:00:00Z", 3) ==
                 (Times{"2026-01-15T00:00:00+00:00", "2026-02-16T00:00:00+00:00",
                        "2026-03-16T00:00:00+00:00"}),
             boost::test_tools::per_element());
  // Sat 2026-08-15 moves back to Friday.
  BOOST_TEST(fires("0 0 15W * *", "2026-08-01T00:00:00Z", 1) == Times{"2026-08-14T00:00:00+00:00"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(w_does_not_cross_month_edges) {
  // Sat 2026-08-01: forward to Monday the 3rd, not back to Friday July 31st.
  BOOST_TEST(fires("0 0 1W * *", "2026-07-15T00:00:00Z", 1) == Times{"2026-08-03T00:00:00+00:00"},
             boost::test_tools::per_element());
  // Sun 2026-05-31: back to Friday the 29th, not forward to June 1st.
  BOOST_TEST(fires("0 0 31W * *", "2026-05-01T00:00:00Z", 1) == Times{"2026-05-29T00:00:00+00:00"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hash_picks_the_nth_weekday_of_the_month) {
  Times firstMondays{"2026-01-05T09:00:00+00:00", "2026-02-02T09:00:00+00:00",
                     "2026-03-02T09:00:00+00:00"};
  BOOST_TEST(fires("0 9 * * MON#1", "2026-01-01T00:00:00Z", 3) == firstMondays,
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 9 * * 1#1", "2026-01-01T00:00:00Z", 3) == firstMondays,
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 0 9 ? * 2#1", "2026-01-01T00:00:00Z", 3) == firstMondays,
             boost::test_tools::per_element());
  // Third Friday: 2026-01-16.
  BOOST_TEST(
      fires("0 9 * * FRI#3", "2026-01-01T00:00:00Z", 1) == Times{"2026-01-16T09:00:00+00:00"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(weekday_l_picks_the_last_such_weekday) {
  Times lastFridays{"2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00",
                    "2026-03-27T00:00:00+00:00"};
  BOOST_TEST(fires("0 0 * * 5L", "2026-01-01T00:00:00Z", 3) == lastFridays,
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 0 * * FRIL", "2026-01-01T00:00:00Z", 3) == lastFridays,
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 0 0 ? * 6L", "2026-01-01T00:00:00Z", 3) == lastFridays,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(names_are_case_insensitive) {
  BOOST_TEST(fires("0 8 1 jan,Jul *", "2026-01-01T00:00:00Z", 3) ==
                 (Times{"2026-01-01T08:00:00+00:00", "2026-07-01T08:00:00+00:00",
                        "2027-01-01T08:00:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 8 * * sat,SUN", "2026-01-01T00:00:00Z", 3) ==
                 (Times{"2026-01-03T08:00:00+00:00", "2026-01-04T08:00:00+00:00",
                        "2026-01-10T08:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ranges_wrap_around_the_cycle) {
  // Thu 2026-01-01: Fri 2, Sat 3, Sun 4, Mon 5, then Fri 9.
  BOOST_TEST(fires("0 0 * * FRI-MON", "2026-01-01T00:00:00Z", 5) ==
                 (Times{"2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00",
                        "2026-01-04T00:00:00+00:00", "2026-01-05T00:00:00+00:00",
                        "2026-01-09T00:00:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 23-1 * * *", "2026-01-01T12:00:00Z", 3) ==
                 (Times{"2026-01-01T23:00:00+00:00", "2026-01-02T00:00:00+00:00",
                        "2026-01-02T01:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unix_weekday_0_and_7_are_both_sunday) {
  Times sunday{"2026-01-04T00:00:00+00:00"};
  BOOST_TEST(fires("0 0 * * 0", "2026-01-01T00:00:00Z", 1) == sunday,
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 0 * * 7", "2026-01-01T00:00:00Z", 1) == sunday,
             boost::test_tools::per_element());
  // 5-7 is Fri, Sat, Sun.
  BOOST_TEST(fires("0 0 * * 5-7", "2026-01-01T00:00:00Z", 4) ==
                 (Times{"2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00",
                        "2026-01-04T00:00:00+00:00", "2026-01-09T00:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(six_fields_use_quartz_numbering_only_with_a_question_mark) {
  // Without '?', a leading seconds field on a Unix expression: 1 is Monday.
  BOOST_TEST(fires("30 0 9 * * 1", "2026-01-01T00:00:00Z", 1) == Times{"2026-01-05T09:00:30+00:00"},
             boost::test_tools::per_element());
  // With '?', Quartz: 1 is Sunday.
  BOOST_TEST(fires("30 0 9 ? * 1", "2026-01-01T00:00:00Z", 1) == Times{"2026-01-04T09:00:30+00:00"},
             boost::test_tools::per_element());
  // 7 fields are always Quartz.
  BOOST_TEST(
      fires("0 0 9 ? * 1 *", "2026-01-01T00:00:00Z", 1) == Times{"2026-01-04T09:00:00+00:00"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(restricted_day_fields_match_either_unless_one_starts_with_a_star) {
  // 13th OR Friday (Vixie cron): Fri 2, Fri 9, Tue 13, Fri 16.
  BOOST_TEST(fires("0 0 13 * 5", "2026-01-01T00:00:00Z", 4) ==
                 (Times{"2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00",
                        "2026-01-13T00:00:00+00:00", "2026-01-16T00:00:00+00:00"}),
             boost::test_tools::per_element());
  // "*/2" starts with '*': odd days AND Fridays.
  BOOST_TEST(fires("0 0 */2 * 5", "2026-01-01T00:00:00Z", 3) ==
                 (Times{"2026-01-09T00:00:00+00:00", "2026-01-23T00:00:00+00:00",
                        "2026-02-13T00:00:00+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(seconds_field_fires_within_the_minute) {
  BOOST_TEST(fires("*/20 * * * * *", "2026-01-01T00:00:00Z", 4) ==
                 (Times{"2026-01-01T00:00:20+00:00", "2026-01-01T00:00:40+00:00",
                        "2026-01-01T00:01:00+00:00", "2026-01-01T00:01:20+00:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(year_field_limits_the_years_and_then_stops) {
  BOOST_TEST(fires("0 0 12 1 1 ? 2027,2029", "2026-01-01T00:00:00Z", 5) ==
                 (Times{"2027-01-01T12:00:00+00:00", "2029-01-01T12:00:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(fires("0 0 0 1 1 ? 2020", "2026-01-01T00:00:00Z", 1).empty());
}

BOOST_AUTO_TEST_CASE(expressions_that_never_fire_return_nothing_quickly) {
  auto start = std::chrono::steady_clock::now();
  BOOST_TEST(fires("0 0 30 2 *", "2026-01-01T00:00:00Z", 1).empty());
  BOOST_TEST(fires("0 0 0 31 4,6,9,11 ?", "2026-01-01T00:00:00Z", 1).empty());
  auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(took < std::chrono::milliseconds(200));
}

BOOST_AUTO_TEST_CASE(rare_dates_are_found_beyond_a_few_years) {
  // A fifth Monday in February needs a leap year starting on Monday: 2044.
  BOOST_TEST(
      fires("0 0 0 ? 2 MON#5", "2026-01-01T00:00:00Z", 1) == Times{"2044-02-29T00:00:00+00:00"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(aliases_expand_to_their_unix_expressions) {
  const char* from = "2026-01-01T10:30:00Z";  // a Thursday
  BOOST_TEST(fires("@hourly", from, 1) == Times{"2026-01-01T11:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(fires("@daily", from, 1) == Times{"2026-01-02T00:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(fires("@midnight", from, 1) == Times{"2026-01-02T00:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(fires("@weekly", from, 1) == Times{"2026-01-04T00:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(fires("@monthly", from, 1) == Times{"2026-02-01T00:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(fires("@YEARLY", from, 1) == Times{"2027-01-01T00:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(fires("@annually", from, 1) == Times{"2027-01-01T00:00:00+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(CronExpr::parse("@Daily")->text() == "@daily");
}

BOOST_AUTO_TEST_CASE(a_thousand_fire_times_take_well_under_50_ms) {
  auto expr = CronExpr::parse("*/5 * * * *");
  BOOST_REQUIRE(expr);
  const date::time_zone* zone = date::locate_zone("Asia/Shanghai");
  int64_t from = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  int64_t t = from;
  expr->nextAfter(t, zone);  // loads the zone's rules outside the timing
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) t = *expr->nextAfter(t, zone);
  auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(t == from + 1000 * 5 * 60'000);
  BOOST_TEST(took < std::chrono::milliseconds(50));
}

BOOST_AUTO_TEST_SUITE_END()
