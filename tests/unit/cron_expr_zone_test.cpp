// CronExpr in real time zones: daylight-saving transitions and parse errors. Expected instants
// were checked with GNU date, e.g. `TZ=America/New_York date -d '2026-11-01 01:30 EST' +%s`.
#include <date/tz.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "cron/cron_expr.h"
#include "support/cron_fires.h"

using wxb::CronExpr;

namespace {

using wxb::test::Times;

Times firesIn(const char* zone, std::string_view expr, std::string_view from, int count) {
  return wxb::test::cronFires(expr, from, count, zone);
}

wxb::CronParseError errorOf(std::string_view expr) {
  auto parsed = CronExpr::parse(expr);
  BOOST_REQUIRE_MESSAGE(!parsed, "expected '" << expr << "' to be rejected");
  return parsed.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cron_expr_zones)

BOOST_AUTO_TEST_CASE(a_time_in_the_spring_gap_fires_once_when_the_gap_ends) {
  // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that day.
  BOOST_TEST(firesIn("America/New_York", "30 2 * * *", "2026-03-07T12:00:00", 2) ==
                 (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}),
             boost::test_tools::per_element());
  // Two times in the gap still fire once.
  BOOST_TEST(firesIn("America/New_York", "0,30 2 * * *", "2026-03-08T01:00:00", 2) ==
                 (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hourly_expressions_skip_the_spring_gap) {
  BOOST_TEST(firesIn("America/New_York", "30 * * * *", "2026-03-08T00:45:00", 3) ==
                 (Times{"2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00",
                        "2026-03-08T04:30:00-04:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(firesIn("America/New_York", "*/30 * * * *", "2026-03-08T01:15:00", 3) ==
                 (Times{"2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00",
                        "2026-03-08T03:30:00-04:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_fixed_time_in_the_repeated_hour_fires_once_at_its_first_occurrence) {
  // New York 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
  BOOST_TEST(firesIn("America/New_York", "30 1 * * *", "2026-10-31T12:00:00", 2) ==
                 (Times{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(firesIn("America/New_York", "0 30 1 * * *", "2026-11-01T01:10:00-05:00", 1) ==
                 Times{"2026-11-02T01:30:00-05:00"},
             boost::test_tools::per_element());
  // Every minute of 01:xx is still a fixed hour: the second pass does not fire.
  BOOST_TEST(firesIn("America/New_York", "*/20 1 * * *", "2026-11-01T01:30:00-04:00", 3) ==
                 (Times{"2026-11-01T01:40:00-04:00", "2026-11-02T01:00:00-05:00",
                        "2026-11-02T01:20:00-05:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_every_hour_expression_fires_through_both_passes_of_the_repeated_hour) {
  // The case (Vixie cron, croner and cron-parser agree): Brussels 2018-10-28, 03:00
  // CEST falls back to 02:00 CET.
  BOOST_TEST(firesIn("Europe/Brussels", "*/30 * * * *", "2018-10-28T01:45:00+02:00", 5) ==
                 (Times{"2018-10-28T02:00:00+02:00", "2018-10-28T02:30:00+02:00",
                        "2018-10-28T02:00:00+01:00", "2018-10-28T02:30:00+01:00",
                        "2018-10-28T03:00:00+01:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(firesIn("America/New_York", "0 * * * *", "2026-11-01T00:30:00-04:00", 4) ==
                 (Times{"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00",
                        "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00"}),
             boost::test_tools::per_element());
  // Starting inside either pass.
  BOOST_TEST(firesIn("America/New_York", "*/30 * * * *", "2026-11-01T01:40:00-04:00", 2) ==
                 (Times{"2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(firesIn("America/New_York", "*/30 * * * *", "2026-11-01T01:10:00-05:00", 2) ==
                 (Times{"2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(seconds_fields_follow_the_same_fall_back_rule) {
  BOOST_TEST(firesIn("Europe/Berlin", "*/20 * * * * *", "2026-10-25T02:59:30+02:00", 4) ==
                 (Times{"2026-10-25T02:59:40+02:00", "2026-10-25T02:00:00+01:00",
                        "2026-10-25T02:00:20+01:00", "2026-10-25T02:00:40+01:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(firesIn("Europe/Berlin", "30 15 2 * * *", "2026-10-25T00:00:00", 2) ==
                 (Times{"2026-10-25T02:15:30+02:00", "2026-10-26T02:15:30+01:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fall_back_fire_is_the_earlier_instant) {
  auto expr = CronExpr::parse("30 1 * * *");
  const date::time_zone* ny = date::locate_zone("America/New_York");
  // 2026-10-31T12:00:00-04:00 = 1793462400; 01:30 EDT = 1793511000 (01:30 EST is 1793514600).
  BOOST_TEST(*expr->nextAfter(1'793'462'400'000, ny) == 1'793'511'000'000);
}

BOOST_AUTO_TEST_CASE(berlin_transitions_follow_the_same_rules) {
  // 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
  BOOST_TEST(firesIn("Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00", 2) ==
                 (Times{"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(firesIn("Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00", 2) ==
                 (Times{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(shanghai_wall_time_is_utc_plus_eight) {
  auto expr = CronExpr::parse("0 9 * * *");
  const date::time_zone* shanghai = date::locate_zone("Asia/Shanghai");
  // From 2026-01-01T00:00:00Z; 09:00 +08:00 is 01:00Z = 1767229200.
  BOOST_TEST(*expr->nextAfter(1'767'225'600'000, shanghai) == 1'767'229'200'000);
  BOOST_TEST(*expr->nextAfter(1'767'225'600'000, nullptr) == 1'767'225'600'000 + 9 * 3'600'000);
}

BOOST_AUTO_TEST_CASE(parse_errors_name_the_field_and_the_problem) {
  auto dom = errorOf("0 0 32 * *");
  BOOST_TEST(dom.field == "day-of-month");
  BOOST_TEST(dom.message == "day-of-month: 32 is out of range 1-31");
  BOOST_TEST(errorOf("60 * * * *").message == "minute: 60 is out of range 0-59");
  BOOST_TEST(errorOf("0 24 * * *").message == "hour: 24 is out of range 0-23");
  BOOST_TEST(errorOf("0 0 * 13 *").message == "month: 13 is out of range 1-12");
  BOOST_TEST(errorOf("0 0 * * 8").message == "day-of-week: 8 is out of range 0-7");
  BOOST_TEST(errorOf("0 0 9 ? * 0").message == "day-of-week: 0 is out of range 1-7");
  BOOST_TEST(errorOf("60 0 9 * * *").message == "second: 60 is out of range 0-59");
  BOOST_TEST(errorOf("0 0 0 1 1 ? 1969").message == "year: 1969 is out of range 1970-2199");
  BOOST_TEST(errorOf("0 0 * FOO *").message == "month: unknown name 'FOO'");
  BOOST_TEST(errorOf("0 0 * * MON#6").field == "day-of-week");
  BOOST_TEST(errorOf("*/0 * * * *").field == "minute");
  BOOST_TEST(errorOf("0 0 1,,2 * *").field == "day-of-month");
  BOOST_TEST(errorOf("0 0 L-31 * *").field == "day-of-month");
  BOOST_TEST(errorOf("0 x * * *").message == "hour: 'X' is not a number");
}

BOOST_AUTO_TEST_CASE(question_mark_rules_are_enforced) {
  BOOST_TEST(errorOf("0 0 ? * *").field == "day-of-month");  // 5 fields are Unix
  BOOST_TEST(errorOf("0 0 0 ? * ?").field == "day-of-week");
  BOOST_TEST(errorOf("0 0 0 * * MON 2026").field == "day-of-week");
  BOOST_TEST(errorOf("? 0 0 1 * ?").field == "second");
}

BOOST_AUTO_TEST_CASE(malformed_expressions_are_rejected_as_a_whole) {
  auto fields = errorOf("0 0 * *");
  BOOST_TEST(fields.field == "");
  BOOST_TEST(fields.message == "expected 5, 6 or 7 fields, got 4");
  BOOST_TEST(errorOf("   ").message == "the expression is empty");
  BOOST_TEST(errorOf("@reboot").message ==
             "@reboot is not supported: it means \"at start-up\", which has no fire time; use a "
             "schedule such as @daily");
  BOOST_TEST(errorOf("@Fortnightly").message.starts_with("unknown alias '@Fortnightly'; expected"));
  BOOST_TEST(CronExpr::parse("@Daily")->text() == "@daily");
}

BOOST_AUTO_TEST_CASE(no_fire_time_after_the_last_covered_year) {
  auto daily = CronExpr::parse("@daily");
  // 2199-12-31T12:00:00Z: the next midnight would be in 2200.
  BOOST_TEST(!daily->nextAfter(7'258'075'200'000, nullptr).has_value());
  BOOST_TEST(*daily->nextAfter(7'258'032'000'000 - 1, nullptr) == 7'258'032'000'000);
}

BOOST_AUTO_TEST_SUITE_END()
