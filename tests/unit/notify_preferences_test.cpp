// Per-user preferences: validation naming the field (IANA zone, HH:MM-HH:MM, known types) and
// the values in force, each field falling back to the configured default.
#include <date/tz.h>

#include <boost/test/unit_test.hpp>

#include "notify/preferences.h"

namespace wxb {

namespace {

const std::set<std::string> kTypes = {"chat", "invitation"};

std::optional<FieldProblem> check(const Preferences& p) { return checkPreferences(p, kTypes); }

PreferenceDefaults defaults() {
  return PreferenceDefaults{"Asia/Shanghai", parseQuietHours("22:00-08:00").value()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_preferences)

BOOST_AUTO_TEST_CASE(complete_and_empty_preferences_are_accepted) {
  BOOST_TEST(!check(Preferences{}));
  BOOST_TEST(!check(Preferences{"Europe/Berlin", "23:00-07:00", {{"chat"}}, false}));
  BOOST_TEST(!check(Preferences{"UTC", "", {{}}, true}));
  BOOST_TEST(!check(Preferences{"America/Argentina/Buenos_Aires", {}, {}, {}}));
}

BOOST_AUTO_TEST_CASE(a_zone_the_database_does_not_know_is_rejected) {
  for (const char* bad : {"Mars/Olympus_Mons", "", "../../etc/passwd", "Asia/Shanghai ",
                          "asia/shanghai\n", "+08:00", "localtime"}) {
    auto problem = check(Preferences{bad, {}, {}, {}});
    BOOST_TEST_INFO(bad);
    BOOST_REQUIRE(problem);
    BOOST_TEST(problem->field == "timezone");
    BOOST_TEST(problem->problem.find("IANA") != std::string::npos);
  }
  BOOST_TEST(check(Preferences{"Asia/" + std::string(60, 'A'), {}, {}, {}}).has_value());
}

BOOST_AUTO_TEST_CASE(quiet_hours_must_read_as_a_span) {
  auto problem = check(Preferences{{}, "10pm-8am", {}, {}});
  BOOST_REQUIRE(problem);
  BOOST_TEST(problem->field == "quiet_hours");
  BOOST_TEST(problem->problem.find("HH:MM-HH:MM") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(muted_types_must_be_configured_and_the_bad_one_is_named) {
  auto problem = check(Preferences{{}, {}, {{"chat", "likes"}}, {}});
  BOOST_REQUIRE(problem);
  BOOST_TEST(problem->field == "muted_types[1]");
  BOOST_TEST(problem->problem == "unknown event type (known: chat, invitation)");
  std::vector<std::string> many(kMaxMutedTypes + 1, "chat");
  problem = check(Preferences{{}, {}, many, {}});
  BOOST_REQUIRE(problem);
  BOOST_TEST(problem->field == "muted_types");
}

// One rule with POST /v1/events (checkKnownType): with no notify.types configured any
// well-formed type may be muted, as any is taken as an event's type; a malformed one is not.
BOOST_AUTO_TEST_CASE(with_no_type_configured_any_well_formed_type_may_be_muted) {
  const std::set<std::string> none;
  BOOST_TEST(!checkPreferences(Preferences{{}, {}, {{"chat", "typo_chat"}}, {}}, none));
  for (const std::string& bad :
       {std::string("Chat"), std::string(), std::string("chat-x"), std::string(33, 'a')}) {
    auto problem = checkPreferences(Preferences{{}, {}, {{"chat", bad}}, {}}, none);
    BOOST_TEST_INFO(bad);
    BOOST_REQUIRE(problem);
    BOOST_TEST(problem->field == "muted_types[1]");
    BOOST_TEST(problem->problem == "must be 1-32 characters of a-z 0-9 _");
  }
  auto configured = check(Preferences{{}, {}, {{"Chat"}}, {}});
  BOOST_REQUIRE(configured);
  BOOST_TEST(configured->problem == "must be 1-32 characters of a-z 0-9 _");
}

BOOST_AUTO_TEST_CASE(unset_fields_follow_the_configuration) {
  NoticePrefs p = resolvePreferences(Preferences{}, defaults());
  BOOST_TEST(p.timezone == "Asia/Shanghai");
  BOOST_TEST(p.zone == date::locate_zone("Asia/Shanghai"));
  BOOST_TEST(formatQuietHours(p.quietHours) == "22:00-08:00");
  BOOST_TEST(p.mutedTypes.empty());
  BOOST_TEST(p.digest);
}

BOOST_AUTO_TEST_CASE(set_fields_win_and_empty_quiet_hours_mean_none) {
  NoticePrefs p =
      resolvePreferences(Preferences{"Europe/Berlin", "", {{"chat"}}, false}, defaults());
  BOOST_TEST(p.timezone == "Europe/Berlin");
  BOOST_TEST(p.zone == date::locate_zone("Europe/Berlin"));
  BOOST_TEST(!p.quietHours);
  BOOST_TEST((p.mutedTypes == std::set<std::string>{"chat"}));
  BOOST_TEST(!p.digest);
}

BOOST_AUTO_TEST_CASE(a_stored_value_that_no_longer_reads_falls_back_to_the_default) {
  NoticePrefs p = resolvePreferences(Preferences{"Gone/Zone", "junk", {}, {}}, defaults());
  BOOST_TEST(p.timezone == "Asia/Shanghai");
  BOOST_TEST(p.zone == date::locate_zone("Asia/Shanghai"));
  BOOST_TEST(formatQuietHours(p.quietHours) == "22:00-08:00");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
