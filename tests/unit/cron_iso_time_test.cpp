// ISO 8601 reading and writing for the cron command and scheduler logs. Instants were checked
// with GNU date, e.g. `date -d '2026-03-08T01:59:00-05:00' +%s`.
#include <date/tz.h>

#include <boost/test/unit_test.hpp>

#include "cron/iso_time.h"

using wxb::formatIsoTime;
using wxb::parseIsoTime;

namespace {
const date::time_zone* zone(const char* name) { return date::locate_zone(name); }
}  // namespace

BOOST_AUTO_TEST_SUITE(cron_iso_time)

// Found by the iso_time fuzz target (17 M executions): a time near the ends of the years
// 0000-9999 that an offset carries out of them, in UTC or in the zone, would print as year -1 or
// 10000 and not read back - refused. The ends themselves still read, where they print back.
BOOST_AUTO_TEST_CASE(a_time_an_offset_carries_out_of_the_years_0000_9999_is_refused) {
  auto east = parseIsoTime("0000-01-01", zone("Asia/Shanghai"));  // UTC: year -1
  BOOST_REQUIRE(!east);
  BOOST_TEST(east.error().find("out of range") != std::string::npos, east.error());
  BOOST_TEST(!parseIsoTime("9999-12-31T23:52-01", nullptr));  // UTC: year 10000
  BOOST_TEST(!parseIsoTime("0000-01-01T00:00+01:00", nullptr));
  BOOST_TEST(!parseIsoTime("9999-12-31T23:00Z", zone("Asia/Shanghai")));  // there: 10000
  for (const char* text : {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
    auto ms = parseIsoTime(text, nullptr);
    BOOST_REQUIRE_MESSAGE(ms, text);
    BOOST_TEST(*parseIsoTime(formatIsoTime(*ms, nullptr), nullptr) == *ms);
  }
}

BOOST_AUTO_TEST_CASE(formats_wall_time_with_the_offset_in_force) {
  BOOST_TEST(formatIsoTime(1'772'953'200'000, zone("America/New_York")) ==
             "2026-03-08T03:00:00-04:00");
  BOOST_TEST(formatIsoTime(1'772'953'140'000, zone("America/New_York")) ==
             "2026-03-08T01:59:00-05:00");
  BOOST_TEST(formatIsoTime(1'767'229'200'000, zone("Asia/Shanghai")) ==
             "2026-01-01T09:00:00+08:00");
  BOOST_TEST(formatIsoTime(1'767'229'200'250, nullptr) == "2026-01-01T01:00:00.250+00:00");
  BOOST_TEST(formatIsoTime(-1, nullptr) == "1969-12-31T23:59:59.999+00:00");
}

BOOST_AUTO_TEST_CASE(formats_utc_with_milliseconds_for_the_api) {
  BOOST_TEST(wxb::formatIsoUtc(1'767'229'200'250) == "2026-01-01T01:00:00.250Z");
  BOOST_TEST(wxb::formatIsoUtc(1'767'229'200'000) == "2026-01-01T01:00:00.000Z");
  BOOST_TEST(wxb::formatIsoUtc(0) == "1970-01-01T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(parses_offsets_in_every_iso_form) {
  const int64_t nineInShanghai = 1'767'229'200'000;
  BOOST_TEST(*parseIsoTime("2026-01-01T01:00:00Z", nullptr) == nineInShanghai);
  BOOST_TEST(*parseIsoTime("2026-01-01T09:00:00+08:00", nullptr) == nineInShanghai);
  BOOST_TEST(*parseIsoTime("2026-01-01T09:00+0800", nullptr) == nineInShanghai);
  BOOST_TEST(*parseIsoTime("2026-01-01 09:00:00+08", nullptr) == nineInShanghai);
  BOOST_TEST(*parseIsoTime("2026-01-01t01:00:00.5z", nullptr) == nineInShanghai + 500);
  BOOST_TEST(*parseIsoTime("2026-03-08T01:59:00-05:00", zone("Asia/Shanghai")) ==
             1'772'953'140'000);
}

BOOST_AUTO_TEST_CASE(a_local_mean_time_offset_prints_its_seconds_and_reads_back) {
  // Shanghai kept local mean time, +08:05:43, until 1901 (found by fuzzing: printed, not read).
  const int64_t ms = -2'208'988'800'000;  // 1900-01-01T00:00:00Z
  std::string shown = formatIsoTime(ms, zone("Asia/Shanghai"));
  BOOST_TEST(shown == "1900-01-01T08:05:43+08:05:43");
  BOOST_TEST(*parseIsoTime(shown, nullptr) == ms);
  BOOST_TEST(*parseIsoTime("1900-01-01T08:05:43+08:05:43", zone("UTC")) == ms);
  BOOST_TEST(!parseIsoTime("1900-01-01T08:05:43+08:05:", nullptr));
  BOOST_TEST(!parseIsoTime("1900-01-01T08:05:43+08:05:60", nullptr));
}

BOOST_AUTO_TEST_CASE(without_an_offset_the_time_is_wall_time_in_the_zone) {
  BOOST_TEST(*parseIsoTime("2026-01-01T09:00:00", zone("Asia/Shanghai")) == 1'767'229'200'000);
  BOOST_TEST(*parseIsoTime("2026-01-01", zone("Asia/Shanghai")) == 1'767'196'800'000);
  // In the spring gap: the first instant after it (03:00 EDT).
  BOOST_TEST(*parseIsoTime("2026-03-08T02:30:00", zone("America/New_York")) == 1'772'953'200'000);
  // Repeated by the fall back: the first occurrence (01:30 EDT).
  BOOST_TEST(*parseIsoTime("2026-11-01T01:30:00", zone("America/New_York")) == 1'793'511'000'000);
}

BOOST_AUTO_TEST_CASE(rejects_impossible_or_malformed_times) {
  BOOST_TEST(parseIsoTime("2026-02-30T00:00:00Z", nullptr).error() == "no such day in that month");
  BOOST_TEST(parseIsoTime("2026-13-01T00:00:00Z", nullptr).error() == "month must be 01-12");
  BOOST_TEST(parseIsoTime("2026-03-08T24:00:00Z", nullptr).error() == "time of day out of range");
  BOOST_TEST(!parseIsoTime("yesterday", nullptr).has_value());
  BOOST_TEST(!parseIsoTime("2026-03-08T01:59:00-05:00 extra", nullptr).has_value());
  BOOST_TEST(!parseIsoTime("2026-03-08T01:59:00+5", nullptr).has_value());
  BOOST_TEST(!parseIsoTime("2026-3-8", nullptr).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
