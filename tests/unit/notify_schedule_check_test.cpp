// Validation of reminders: every rule names the field the API spells and says why.
#include <boost/test/unit_test.hpp>
#include <string>

#include "notify/schedules/schedule_check.h"
#include "support/schedule_fixtures.h"

using namespace wxb;
using wxb::test::isoMs;

namespace {

const int64_t kNow = isoMs("2026-05-01T12:00:00+08:00");

// The field of the first problem with `s`, "" when it is accepted; the problem text goes to
// `problem`.
std::string fieldOf(const Schedule& s, std::string* problem = nullptr,
                    const test::ReminderRules& rules = {}) {
  auto checked = checkSchedule(s, rules.rules(), kNow);
  if (checked) return "";
  if (problem) *problem = checked.error().problem;
  return checked.error().field;
}

Schedule daily() { return test::cronSchedule("0 9 * * *", "Asia/Shanghai"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_schedule_check)

BOOST_AUTO_TEST_CASE(a_good_cron_schedule_and_a_good_one_shot_pass) {
  BOOST_TEST(fieldOf(daily()) == "");
  BOOST_TEST(fieldOf(test::oneShotSchedule("2026-05-02T09:00:00+08:00")) == "");
  Schedule quartz = test::cronSchedule("0 30 9 ? * MON-FRI 2026-2030", "Europe/Berlin");
  BOOST_TEST(fieldOf(quartz) == "");
}

BOOST_AUTO_TEST_CASE(exactly_one_of_cron_and_at) {
  Schedule neither = daily();
  neither.cron.clear();
  BOOST_TEST(fieldOf(neither) == "cron");
  Schedule both = daily();
  both.atMs = kNow + 60'000;
  BOOST_TEST(fieldOf(both) == "at");
}

BOOST_AUTO_TEST_CASE(a_bad_cron_expression_says_which_part_is_wrong) {
  std::string problem;
  BOOST_TEST(fieldOf(test::cronSchedule("0 0 32 * *", "UTC"), &problem) == "cron");
  BOOST_TEST(problem == "day-of-month: 32 is out of range 1-31");
  BOOST_TEST(fieldOf(test::cronSchedule(std::string(129, '*'), "UTC")) == "cron");
}

BOOST_AUTO_TEST_CASE(the_time_zone_must_exist_and_is_required_with_cron) {
  std::string problem;
  BOOST_TEST(fieldOf(test::cronSchedule("0 9 * * *", "Mars/Olympus"), &problem) == "timezone");
  BOOST_TEST(problem.find("unknown time zone") != std::string::npos);
  BOOST_TEST(fieldOf(test::cronSchedule("0 9 * * *", "")) == "timezone");
  BOOST_TEST(fieldOf(test::cronSchedule("0 9 * * *", "asia/shanghai")) == "timezone");
  // A one-shot carries its offset; a zone is optional, but must exist when given.
  Schedule oneShot = test::oneShotSchedule("2026-05-02T09:00:00+08:00");
  oneShot.timezone = "Nowhere/Land";
  BOOST_TEST(fieldOf(oneShot) == "timezone");
}

BOOST_AUTO_TEST_CASE(the_template_must_be_configured) {
  Schedule s = daily();
  s.templateName = "remindr";
  std::string problem;
  BOOST_TEST(fieldOf(s, &problem) == "template");
  BOOST_TEST(problem == "unknown template (configured: reminder)");
}

BOOST_AUTO_TEST_CASE(a_template_that_shows_unread_events_is_not_for_reminders) {
  test::ReminderRules rules;
  TemplateSpec digest{"daily", "TPL_DIGEST", std::nullopt, {}};
  digest.data.emplace_back("thing1", parsePattern("{{total}} unread").value());
  rules.notify.templates.emplace("daily", digest);
  Schedule s = daily();
  s.templateName = "daily";
  s.params.clear();
  std::string problem;
  BOOST_TEST(fieldOf(s, &problem, rules) == "template");
  BOOST_TEST(problem.find("only {{params.NAME}}") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(params_are_exactly_the_ones_the_template_uses) {
  Schedule lacking = daily();
  lacking.params.erase("when");
  std::string problem;
  BOOST_TEST(fieldOf(lacking, &problem) == "params.when");
  BOOST_TEST(problem == "required by template reminder");
  Schedule extra = daily();
  extra.params["colour"] = "red";
  BOOST_TEST(fieldOf(extra, &problem) == "params.colour");
  BOOST_TEST(problem == "not used by template reminder");
  Schedule tooLong = daily();
  tooLong.params["title"] = std::string(257, 'x');
  BOOST_TEST(fieldOf(tooLong) == "params.title");
  Schedule lineBreak = daily();  // free text, as for direct messages: shown as a space
  lineBreak.params["title"] = "line\nbreak";
  BOOST_TEST(fieldOf(lineBreak).empty());
  Schedule nul = daily();
  nul.params["title"] = std::string("nul\0byte", 8);
  BOOST_TEST(fieldOf(nul) == "params.title");
}

BOOST_AUTO_TEST_CASE(the_channel_is_one_the_template_has_and_its_values_are_checked) {
  test::ReminderRules rules;
  TemplateSpec mp{"reminder", "TPL_REMIND_MP", std::nullopt, {}};
  mp.channel = Channel::MpSubscribe;
  mp.page = "pages/todo/index";
  mp.data.emplace_back("thing1", parsePattern("{{params.title}}").value());
  mp.data.emplace_back("time2", parsePattern("{{params.when}}").value());
  rules.notify.templates.at("reminder").variants = {mp};
  Schedule s = daily();
  for (const char* channel : {"", "oa_template", "mp_subscribe", "auto"}) {
    s.channel = channel;
    BOOST_TEST(fieldOf(s, nullptr, rules) == "", channel);
  }
  std::string problem;
  s.channel = "sms";
  BOOST_TEST(fieldOf(s, &problem, rules) == "channel");
  BOOST_TEST(problem.find("must be auto, oa_template, mp_subscribe or oa_subscribe") !=
             std::string::npos);
  s.channel = "oa_subscribe";
  BOOST_TEST(fieldOf(s, &problem, rules) == "channel");
  BOOST_TEST(problem.find("has no form for oa_subscribe") != std::string::npos, problem);
  // time2 of the subscribe form takes a 24-hour time: "soon" cannot be made one.
  s.channel = "auto";
  s.params["when"] = "soon";
  BOOST_TEST(fieldOf(s, &problem, rules) == "params.when", problem);
  s.channel = "oa_template";  // the template message takes any text
  BOOST_TEST(fieldOf(s, nullptr, rules) == "");
}

BOOST_AUTO_TEST_CASE(a_one_shot_in_the_past_or_past_2199_is_refused) {
  std::string problem;
  BOOST_TEST(fieldOf(test::oneShotSchedule("2026-05-01T11:59:59+08:00"), &problem) == "at");
  BOOST_TEST(problem == "is in the past");
  BOOST_TEST(fieldOf(test::oneShotSchedule("2026-05-01T12:00:00+08:00")) == "");
  BOOST_TEST(fieldOf(test::oneShotSchedule("2200-01-01T00:00:00Z")) == "at");
}

BOOST_AUTO_TEST_CASE(window_and_max_fires_apply_to_cron_only) {
  Schedule s = test::oneShotSchedule("2026-05-02T09:00:00+08:00");
  s.endsAtMs = isoMs("2026-06-01T00:00:00Z");
  BOOST_TEST(fieldOf(s) == "ends_at");
  s.endsAtMs.reset();
  s.maxFires = 1;
  BOOST_TEST(fieldOf(s) == "max_fires");
  s.maxFires.reset();
  s.startsAtMs = kNow;
  BOOST_TEST(fieldOf(s) == "starts_at");
}

BOOST_AUTO_TEST_CASE(ends_at_before_starts_at_or_in_the_past_is_refused) {
  Schedule s = daily();
  s.startsAtMs = isoMs("2026-06-01T00:00:00Z");
  s.endsAtMs = isoMs("2026-05-31T00:00:00Z");
  std::string problem;
  BOOST_TEST(fieldOf(s, &problem) == "ends_at");
  BOOST_TEST(problem == "is before starts_at");
  s.startsAtMs.reset();
  s.endsAtMs = kNow - 1;
  BOOST_TEST(fieldOf(s, &problem) == "ends_at");
  BOOST_TEST(problem == "is in the past");
  // A start in the past is fine: the schedule runs from now.
  s.endsAtMs.reset();
  s.startsAtMs = isoMs("2020-01-01T00:00:00Z");
  BOOST_TEST(fieldOf(s) == "");
}

BOOST_AUTO_TEST_CASE(max_fires_is_positive_and_bounded) {
  Schedule s = daily();
  s.maxFires = 0;
  BOOST_TEST(fieldOf(s) == "max_fires");
  s.maxFires = 1'000'000'001;
  BOOST_TEST(fieldOf(s) == "max_fires");
  s.maxFires = 1'000'000'000;
  BOOST_TEST(fieldOf(s) == "");
}

BOOST_AUTO_TEST_CASE(an_expression_that_never_fires_is_refused) {
  std::string problem;
  BOOST_TEST(fieldOf(test::cronSchedule("0 0 30 2 *", "UTC"), &problem) == "cron");
  BOOST_TEST(problem == "never fires after 2026-05-01T04:00:00+00:00");
  BOOST_TEST(fieldOf(test::cronSchedule("0 0 0 ? * * 2025", "UTC")) == "cron");
  // It fires, but not inside its window: the window is what is wrong.
  Schedule s = test::cronSchedule("0 9 1 * *", "Asia/Shanghai");
  s.endsAtMs = isoMs("2026-05-20T00:00:00+08:00");
  BOOST_TEST(fieldOf(s, &problem) == "ends_at");
  BOOST_TEST(problem == "cron does not fire between starts_at (or now) and ends_at");
}

BOOST_AUTO_TEST_CASE(an_expression_that_fires_more_often_than_the_minimum_is_refused) {
  std::string problem;
  BOOST_TEST(fieldOf(test::cronSchedule("*/30 * * * * *", "UTC"), &problem) == "cron");
  BOOST_TEST(problem ==
             "fires 30 seconds apart (00:00:00 and 00:00:30); "
             "schedules.min_interval_seconds is 60");
  BOOST_TEST(fieldOf(test::cronSchedule("* * * * *", "UTC")) == "");
  test::ReminderRules hourly;
  hourly.settings.minIntervalSeconds = 3600;
  BOOST_TEST(fieldOf(test::cronSchedule("0 * * * *", "America/New_York"), nullptr, hourly) == "");
  BOOST_TEST(fieldOf(test::cronSchedule("0 0,23 * * *", "UTC"), nullptr, hourly) == "");
  BOOST_TEST(fieldOf(test::cronSchedule("0,30 9 * * *", "UTC"), nullptr, hourly) == "cron");
}

BOOST_AUTO_TEST_CASE(the_minimum_holds_across_a_spring_forward_gap) {
  // 02:30 does not exist in New York on 2027-03-14 and fires at 03:00, half an hour before 03:30.
  test::ReminderRules hourly;
  hourly.settings.minIntervalSeconds = 3600;
  std::string problem;
  Schedule s = test::cronSchedule("30 2,3 * * *", "America/New_York");
  BOOST_TEST(fieldOf(s, &problem, hourly) == "cron");
  BOOST_TEST(problem ==
             "fires 1800 seconds apart (2027-03-14T03:00:00-04:00 and "
             "2027-03-14T03:30:00-04:00); schedules.min_interval_seconds is 3600");
  // Nothing to worry about where the clocks do not change, or before they next do.
  BOOST_TEST(fieldOf(test::cronSchedule("30 2,3 * * *", "Asia/Shanghai"), nullptr, hourly) == "");
  s.endsAtMs = isoMs("2027-03-01T00:00:00Z");
  BOOST_TEST(fieldOf(s, nullptr, hourly) == "");
}

BOOST_AUTO_TEST_CASE(more_schedules_than_max_per_user_are_refused) {
  ScheduleSettings settings;
  settings.maxPerUser = 2;
  BOOST_TEST(!checkScheduleCount(1, settings));
  auto problem = checkScheduleCount(2, settings);
  BOOST_REQUIRE(problem);
  BOOST_TEST(problem->field == "unionid");
  BOOST_TEST(problem->problem == "already has 2 schedules, the most schedules.max_per_user allows");
}

BOOST_AUTO_TEST_SUITE_END()
