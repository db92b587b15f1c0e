// Quiet hours: "HH:MM-HH:MM" read strictly, spans inside a day and across midnight, their ends
// in the user's zone, and daylight-saving changes (a boundary in the spring-forward gap, a
// repeated hour at fall-back).
#include <date/tz.h>

#include <boost/test/unit_test.hpp>

#include "notify/quiet_hours.h"
#include "support/utc_ms.h"

namespace wxb {

using test::utcMs;

namespace {

QuietHours quiet(const char* text) { return parseQuietHours(text).value().value(); }

const date::time_zone* zone(const char* name) { return date::locate_zone(name); }

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_quiet_hours)

BOOST_AUTO_TEST_CASE(spans_read_as_minutes_and_print_back_the_same) {
  BOOST_TEST((quiet("22:00-08:00") == QuietHours{22 * 60, 8 * 60}));
  BOOST_TEST((quiet("00:00-06:30") == QuietHours{0, 6 * 60 + 30}));
  BOOST_TEST((quiet("13:15-23:59") == QuietHours{13 * 60 + 15, 23 * 60 + 59}));
  BOOST_TEST(formatQuietHours(quiet("22:00-08:00")) == "22:00-08:00");
  BOOST_TEST(formatQuietHours(std::nullopt) == "");
  BOOST_TEST(!parseQuietHours("").value().has_value());
}

BOOST_AUTO_TEST_CASE(anything_else_is_rejected_with_the_expected_form) {
  for (const char* bad :
       {"7:00-08:00", "22:00-8:00", "24:00-08:00", "22:60-08:00", "22:00 - 08:00", "22:00-08:00x",
        "22.00-08.00", "22:00", "-", "22:00-08:00-09:00", "２２:00-08:00"}) {
    auto parsed = parseQuietHours(bad);
    BOOST_TEST_INFO(bad);
    BOOST_REQUIRE(!parsed);
    BOOST_TEST(parsed.error().find("HH:MM-HH:MM") != std::string::npos);
  }
  auto same = parseQuietHours("08:00-08:00");
  BOOST_REQUIRE(!same);
  BOOST_TEST(same.error() == "start and end are the same time");
}

BOOST_AUTO_TEST_CASE(a_span_across_midnight_holds_on_both_sides_of_it) {
  const auto* shanghai = zone("Asia/Shanghai");  // UTC+8
  const QuietHours night = quiet("22:00-08:00");
  // 2026-11-20 23:00 local = 15:00 UTC; ends 2026-11-21 08:00 local = 00:00 UTC.
  BOOST_TEST(*quietHoursEndAt(night, shanghai, utcMs(2026, 11, 20, 15, 0)) ==
             utcMs(2026, 11, 21, 0, 0));
  // 03:00 local on the 21st: the span that began the evening before.
  BOOST_TEST(*quietHoursEndAt(night, shanghai, utcMs(2026, 11, 20, 19, 0)) ==
             utcMs(2026, 11, 21, 0, 0));
  BOOST_TEST(*quietHoursEndAt(night, shanghai, utcMs(2026, 11, 20, 14, 0)) ==
             utcMs(2026, 11, 21, 0, 0));                                     // 22:00 sharp is quiet
  BOOST_TEST(!quietHoursEndAt(night, shanghai, utcMs(2026, 11, 21, 0, 0)));  // 08:00 is not
  BOOST_TEST(!quietHoursEndAt(night, shanghai, utcMs(2026, 11, 20, 13, 59)));
}

BOOST_AUTO_TEST_CASE(a_span_inside_one_day_holds_only_inside_it) {
  const QuietHours lunch = quiet("12:00-13:30");
  BOOST_TEST(*quietHoursEndAt(lunch, nullptr, utcMs(2026, 1, 5, 12, 45)) ==
             utcMs(2026, 1, 5, 13, 30));
  BOOST_TEST(!quietHoursEndAt(lunch, nullptr, utcMs(2026, 1, 5, 11, 59)));
  BOOST_TEST(!quietHoursEndAt(lunch, nullptr, utcMs(2026, 1, 5, 13, 30)));
  BOOST_TEST(!quietHoursEndAt(lunch, nullptr, utcMs(2026, 1, 5, 23, 0)));
}

BOOST_AUTO_TEST_CASE(a_night_across_a_dst_change_ends_at_the_wall_clock_time) {
  const auto* ny = zone("America/New_York");
  const QuietHours night = quiet("22:00-08:00");
  // Spring forward 2026-03-08: 08:00 EDT = 12:00 UTC (not 13:00, as EST would be).
  BOOST_TEST(*quietHoursEndAt(night, ny, utcMs(2026, 3, 8, 4, 0)) == utcMs(2026, 3, 8, 12, 0));
  BOOST_TEST(*quietHoursEndAt(night, ny, utcMs(2026, 3, 8, 11, 59)) == utcMs(2026, 3, 8, 12, 0));
  BOOST_TEST(!quietHoursEndAt(night, ny, utcMs(2026, 3, 8, 12, 0)));
  // Fall back 2026-11-01: 08:00 EST = 13:00 UTC; 07:30 EST (12:30 UTC) is still quiet.
  BOOST_TEST(*quietHoursEndAt(night, ny, utcMs(2026, 11, 1, 12, 30)) == utcMs(2026, 11, 1, 13, 0));
}

BOOST_AUTO_TEST_CASE(boundaries_in_a_gap_or_a_repeated_hour_follow_the_cron_rules) {
  const auto* ny = zone("America/New_York");
  // 02:30 does not exist on 2026-03-08: the span ends at the first instant after the gap,
  // 03:00 EDT = 07:00 UTC.
  BOOST_TEST(*quietHoursEndAt(quiet("01:30-02:30"), ny, utcMs(2026, 3, 8, 6, 45)) ==
             utcMs(2026, 3, 8, 7, 0));
  // 01:30 happens twice on 2026-11-01: the first occurrence (EDT, 05:30 UTC) ends the span.
  const QuietHours early = quiet("00:00-01:30");
  BOOST_TEST(*quietHoursEndAt(early, ny, utcMs(2026, 11, 1, 5, 0)) == utcMs(2026, 11, 1, 5, 30));
  BOOST_TEST(!quietHoursEndAt(early, ny, utcMs(2026, 11, 1, 6, 0)));  // 01:00 EST again
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
