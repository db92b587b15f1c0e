// Creating and changing reminders: the next fire a POST or PATCH leaves behind.
#include <boost/test/unit_test.hpp>

#include "notify/schedules/schedule_changes.h"
#include "notify/schedules/schedule_fires.h"
#include "support/schedule_fixtures.h"

using namespace wxb;
using wxb::test::isoMs;

namespace {

Schedule created(Schedule draft, int64_t nowMs) {
  test::ReminderRules rules;
  auto s = newSchedule(std::move(draft), rules.rules(), nowMs);
  BOOST_REQUIRE_MESSAGE(s, (s ? "" : s.error().field + ": " + s.error().problem));
  return *s;
}

std::expected<Schedule, FieldProblem> patch(const Schedule& s, const SchedulePatch& p,
                                            int64_t nowMs) {
  test::ReminderRules rules;
  return patchSchedule(s, p, rules.rules(), nowMs);
}

// Fires the schedule at its next fire time, as the engine would.
void fire(Schedule& s) {
  auto due = takeDueFire(s, ScheduleTrigger::of(s).value(), *s.nextFireMs, 300'000);
  BOOST_REQUIRE(due.fireMs);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_schedule_changes)

BOOST_AUTO_TEST_CASE(a_new_schedule_waits_for_its_first_fire) {
  Schedule draft = test::cronSchedule("0 9 * * *", "Asia/Shanghai");
  draft.id = 99;
  draft.fires = 7;
  Schedule s = created(draft, isoMs("2026-05-01T12:00:00+08:00"));
  BOOST_TEST(s.id == 0);
  BOOST_TEST(s.fires == 0);
  BOOST_TEST(scheduleStateName(s.state) == "active");
  BOOST_TEST(*s.nextFireMs == isoMs("2026-05-02T09:00:00+08:00"));
  BOOST_TEST(s.createdAtMs == isoMs("2026-05-01T12:00:00+08:00"));
  // Created at the very second it fires: due at once.
  Schedule onTheDot = created(draft, isoMs("2026-05-02T09:00:00+08:00"));
  BOOST_TEST(*onTheDot.nextFireMs == isoMs("2026-05-02T09:00:00+08:00"));
}

BOOST_AUTO_TEST_CASE(a_patch_between_two_fires_moves_the_next_fire) {
  Schedule s =
      created(test::cronSchedule("0 9 * * *", "Asia/Shanghai"), isoMs("2026-05-01T08:00:00+08:00"));
  fire(s);  // 2026-05-01 09:00
  SchedulePatch p;
  p.cron = "0 15 * * *";
  auto moved = patch(s, p, isoMs("2026-05-01T12:00:00+08:00"));
  BOOST_REQUIRE(moved);
  BOOST_TEST(*moved->nextFireMs == isoMs("2026-05-01T15:00:00+08:00"));
  BOOST_TEST(moved->fires == 1);
  // Moving it to a time already past today waits for tomorrow, and never repeats a fire.
  p.cron = "0 9 * * *";
  moved = patch(s, p, isoMs("2026-05-01T12:00:00+08:00"));
  BOOST_TEST(*moved->nextFireMs == isoMs("2026-05-02T09:00:00+08:00"));
  p = {};
  p.timezone = "Asia/Tokyo";
  moved = patch(s, p, isoMs("2026-05-01T12:00:00+08:00"));
  BOOST_TEST(*moved->nextFireMs == isoMs("2026-05-02T09:00:00+09:00"));
}

BOOST_AUTO_TEST_CASE(a_patch_that_does_not_touch_the_timing_keeps_the_next_fire) {
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), isoMs("2026-05-01T08:00:00Z"));
  SchedulePatch p;
  p.params = MessageParams{{"title", "Retro"}, {"when", "9"}};
  // Asked at 09:00:01, with the 09:00 fire not yet taken: it still comes.
  auto changed = patch(s, p, isoMs("2026-05-01T09:00:01Z"));
  BOOST_REQUIRE(changed);
  BOOST_TEST(*changed->nextFireMs == isoMs("2026-05-01T09:00:00Z"));
  BOOST_TEST(changed->params.at("title") == "Retro");
  BOOST_TEST(changed->updatedAtMs == isoMs("2026-05-01T09:00:01Z"));
}

BOOST_AUTO_TEST_CASE(pausing_clears_the_next_fire_and_resuming_skips_what_was_missed) {
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), isoMs("2026-05-01T08:00:00Z"));
  SchedulePatch pause;
  pause.paused = true;
  auto paused = patch(s, pause, isoMs("2026-05-01T08:30:00Z"));
  BOOST_REQUIRE(paused);
  BOOST_TEST(scheduleStateName(paused->state) == "paused");
  BOOST_TEST(!paused->nextFireMs);
  SchedulePatch resume;
  resume.paused = false;
  auto resumed = patch(*paused, resume, isoMs("2026-05-03T10:00:00Z"));
  BOOST_REQUIRE(resumed);
  BOOST_TEST(scheduleStateName(resumed->state) == "active");
  BOOST_TEST(*resumed->nextFireMs == isoMs("2026-05-04T09:00:00Z"));
  BOOST_TEST(resumed->misfires == 0);
}

BOOST_AUTO_TEST_CASE(at_replaces_cron_and_cron_replaces_at) {
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), isoMs("2026-05-01T08:00:00Z"));
  SchedulePatch p;
  p.atMs = isoMs("2026-05-01T10:30:00Z");
  auto oneShot = patch(s, p, isoMs("2026-05-01T08:00:00Z"));
  BOOST_REQUIRE(oneShot);
  BOOST_TEST(oneShot->cron.empty());
  BOOST_TEST(*oneShot->nextFireMs == isoMs("2026-05-01T10:30:00Z"));
  SchedulePatch back;
  back.cron = "0 12 * * *";
  auto cron = patch(*oneShot, back, isoMs("2026-05-01T08:00:00Z"));
  BOOST_REQUIRE(cron);
  BOOST_TEST(!cron->atMs);
  BOOST_TEST(*cron->nextFireMs == isoMs("2026-05-01T12:00:00Z"));
}

BOOST_AUTO_TEST_CASE(a_bad_patch_is_refused_and_names_the_field) {
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), isoMs("2026-05-01T08:00:00Z"));
  SchedulePatch p;
  p.timezone = "Mars/Olympus";
  auto refused = patch(s, p, isoMs("2026-05-01T08:00:00Z"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().field == "timezone");
  // A switch to a one-shot must drop the cron-only fields too.
  Schedule bounded = s;
  bounded.maxFires = 3;
  SchedulePatch oneShot;
  oneShot.atMs = isoMs("2026-05-02T00:00:00Z");
  BOOST_TEST(patch(bounded, oneShot, isoMs("2026-05-01T08:00:00Z")).error().field == "max_fires");
  oneShot.maxFires.emplace();  // JSON null: removed
  BOOST_TEST(patch(bounded, oneShot, isoMs("2026-05-01T08:00:00Z")).has_value());
}

BOOST_AUTO_TEST_CASE(raising_max_fires_brings_a_finished_schedule_back) {
  Schedule draft = test::cronSchedule("0 9 * * *", "UTC");
  draft.maxFires = 1;
  Schedule s = created(draft, isoMs("2026-05-01T08:00:00Z"));
  fire(s);
  BOOST_TEST(scheduleStateName(s.state) == "finished");
  SchedulePatch p;
  p.maxFires = std::optional<int64_t>{2};
  auto more = patch(s, p, isoMs("2026-05-01T12:00:00Z"));
  BOOST_REQUIRE(more);
  BOOST_TEST(scheduleStateName(more->state) == "active");
  BOOST_TEST(*more->nextFireMs == isoMs("2026-05-02T09:00:00Z"));
  // Removing the bound altogether works the same way.
  p.maxFires.emplace();
  BOOST_TEST(!patch(s, p, isoMs("2026-05-01T12:00:00Z"))->maxFires);
}

BOOST_AUTO_TEST_SUITE_END()
