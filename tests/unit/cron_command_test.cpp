// `wxbridge cron`: output lines and exit codes. Expected times were checked with GNU date.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bridge/cli/cmd_cron.h"
#include "bridge/config/settings.h"

namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

// 2026-01-01T00:00:00Z.
constexpr int64_t kNewYear2026Ms = 1'767'225'600'000;

Outcome runCron(const std::vector<std::string>& args, int64_t nowMs = kNewYear2026Ms) {
  wxb::ManualClock clock(nowMs);
  std::ostringstream out, err;
  int code = wxb::runCronCommand(args, clock, out, err, wxb::Settings{}.timezone);
  return {code, out.str(), err.str()};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cron_command)

BOOST_AUTO_TEST_CASE(prints_fire_times_with_offsets_across_spring_forward) {
  auto r = runCron({"0 * * * *", "--from", "2026-03-08T01:59:00-05:00", "--count", "3", "--tz",
                    "America/New_York"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out ==
             "2026-03-08T03:00:00-04:00\n2026-03-08T04:00:00-04:00\n2026-03-08T05:00:00-04:00\n");
  BOOST_TEST(r.err == "");
}

BOOST_AUTO_TEST_CASE(defaults_to_five_times_from_now_in_shanghai) {
  auto r = runCron({"0 9 * * *"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out ==
             "2026-01-01T09:00:00+08:00\n2026-01-02T09:00:00+08:00\n2026-01-03T09:00:00+08:00\n"
             "2026-01-04T09:00:00+08:00\n2026-01-05T09:00:00+08:00\n");
}

BOOST_AUTO_TEST_CASE(a_from_without_offset_is_wall_time_in_the_zone) {
  auto r = runCron(
      {"30 2 * * *", "--from", "2026-03-07T12:00:00", "--tz", "America/New_York", "--count", "2"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out == "2026-03-08T03:00:00-04:00\n2026-03-09T02:30:00-04:00\n");
}

BOOST_AUTO_TEST_CASE(accepts_the_expression_as_several_words_and_options_with_equals) {
  // 2026-01-02 is a Friday; the next weekday is Monday the 5th.
  auto r = runCron(
      {"0", "9", "*", "*", "MON-FRI", "--count=2", "--from=2026-01-02T00:00:00Z", "--tz=UTC"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out == "2026-01-02T09:00:00+00:00\n2026-01-05T09:00:00+00:00\n");
}

BOOST_AUTO_TEST_CASE(prints_up_to_a_thousand_lines) {
  auto r = runCron({"* * * * *", "--count", "1000", "--tz", "UTC"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 1000);
  BOOST_TEST(r.out.ends_with("2026-01-01T16:40:00+00:00\n"));
}

BOOST_AUTO_TEST_CASE(a_bad_field_exits_2_naming_it) {
  auto r = runCron({"0 0 32 * *"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(contains(r.err, "day-of-month: 32 is out of range 1-31"));
}

BOOST_AUTO_TEST_CASE(bad_options_exit_2_naming_the_option) {
  auto zone = runCron({"@daily", "--tz", "Mars/Olympus"});
  BOOST_TEST(zone.code == 2);
  BOOST_TEST(contains(zone.err, "--tz: unknown time zone 'Mars/Olympus'"));
  auto host = runCron({"@daily", "--tz", "localtime"});  // not an IANA name (usertest4 F2)
  BOOST_TEST(host.code == 2);
  BOOST_TEST(contains(host.err, "--tz: unknown time zone 'localtime'"));
  auto from = runCron({"@daily", "--from", "2026-02-30T00:00:00Z"});
  BOOST_TEST(from.code == 2);
  BOOST_TEST(contains(from.err, "--from: cannot read '2026-02-30T00:00:00Z'"));
  for (const char* count : {"0", "1001", "abc", "5x"}) {
    auto r = runCron({"@daily", "--count", count});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(contains(r.err, "--count: expected a whole number 1-1000"));
  }
  BOOST_TEST(contains(runCron({"@daily", "--frm", "x"}).err, "unknown option '--frm'"));
  BOOST_TEST(contains(runCron({"@daily", "--tz"}).err, "--tz needs a value"));
  BOOST_TEST(runCron({}).code == 2);
}

BOOST_AUTO_TEST_CASE(a_from_outside_the_covered_years_exits_2_naming_the_range) {
  for (const char* from : {"9999-12-31", "0001-01-01", "1969-12-31T23:00:00", "2200-01-01"}) {
    auto r = runCron({"@daily", "--from", from, "--tz", "UTC"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out == "");
    BOOST_TEST(contains(r.err, "cron covers the years 1970-2199"), r.err);
  }
  // The wall year counts: 1970-01-01 in Shanghai is still 1969 in UTC.
  BOOST_TEST(runCron({"@daily", "--from", "1970-01-01", "--count", "1"}).out ==
             "1970-01-02T00:00:00+08:00\n");
  auto last = runCron({"@daily", "--from", "2199-12-30T12:00:00Z", "--tz", "UTC"});
  BOOST_TEST(last.code == 0);
  BOOST_TEST(last.out == "2199-12-31T00:00:00+00:00\n");
  BOOST_TEST(contains(last.err, "no more fire times"));
}

BOOST_AUTO_TEST_CASE(an_offset_with_seconds_reads_back) {
  // Monrovia kept -00:44:30 until 1972.
  auto first = runCron({"@daily", "--from", "1970-01-01", "--tz", "Africa/Monrovia", "--count=1"});
  BOOST_TEST(first.out == "1970-01-02T00:00:00-00:44:30\n");
  auto again = runCron(
      {"@daily", "--from", "1970-01-02T00:00:00-00:44:30", "--count=1", "--tz", "Africa/Monrovia"});
  BOOST_TEST(again.out == "1970-01-03T00:00:00-00:44:30\n");
}

BOOST_AUTO_TEST_CASE(messages_say_what_is_wrong_once) {
  auto garbage = runCron({"@daily", "--from", "garbage"});
  BOOST_TEST(garbage.err ==
             "cron: --from: cannot read 'garbage': expected a date like 2026-03-08\n");
  auto reboot = runCron({"@reboot"});
  BOOST_TEST(reboot.code == 2);
  BOOST_TEST(contains(reboot.err, "'@reboot': @reboot is not supported: it means \"at start-up\""));
}

BOOST_AUTO_TEST_CASE(an_expression_running_out_prints_what_is_left) {
  auto some = runCron({"0 0 12 1 1 ? 2027", "--tz", "UTC"});
  BOOST_TEST(some.code == 0);
  BOOST_TEST(some.out == "2027-01-01T12:00:00+00:00\n");
  BOOST_TEST(contains(some.err, "no more fire times"));
  auto none = runCron({"0 0 30 2 *"});
  BOOST_TEST(none.code == 1);
  BOOST_TEST(none.out == "");
}

BOOST_AUTO_TEST_SUITE_END()
