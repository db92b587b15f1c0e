// Firing reminders against a fake clock: the instants each schedule fires at (daylight saving,
// month ends, its window, max_fires, pausing), the misfire rule, and the idempotency key.
// Expected instants were checked with GNU date (`TZ=America/New_York date -d @...`).
#include <date/tz.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "cron/clock.h"
#include "notify/schedules/schedule_changes.h"
#include "notify/schedules/schedule_fires.h"
#include "support/schedule_fixtures.h"

using namespace wxb;
using wxb::test::isoMs;

namespace {

using Times = std::vector<std::string>;

constexpr int64_t kGraceMs = 300'000;

// The engine finding `s` due at `nowIso`.
DueFire takeAt(Schedule& s, std::string_view nowIso) {
  return takeDueFire(s, ScheduleTrigger::of(s).value(), isoMs(nowIso), kGraceMs);
}

// The engine's loop for one schedule: the clock jumps to each next fire plus `lagMs`, and the
// due fire is taken, until the schedule has no next fire or the clock passes `untilMs`.
// Returns the fires sent, in the schedule's zone.
Times run(Schedule& s, ManualClock& clock, int64_t untilMs, int64_t lagMs = 0) {
  auto trigger = ScheduleTrigger::of(s).value();
  const auto* zone = date::locate_zone(s.timezone.empty() ? "UTC" : s.timezone);
  Times sent;
  while (s.nextFireMs && *s.nextFireMs + lagMs <= untilMs) {
    clock.set(*s.nextFireMs + lagMs);
    auto due = takeDueFire(s, trigger, clock.nowMs(), kGraceMs);
    if (due.fireMs) sent.push_back(formatIsoTime(*due.fireMs, zone));
  }
  return sent;
}

Schedule created(Schedule draft, const ManualClock& clock) {
  test::ReminderRules rules;
  auto s = newSchedule(std::move(draft), rules.rules(), clock.nowMs());
  BOOST_REQUIRE_MESSAGE(s, (s ? "" : s.error().field + ": " + s.error().problem));
  return *s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_schedule_fires)

BOOST_AUTO_TEST_CASE(a_daily_reminder_fires_at_its_wall_time_in_its_zone) {
  ManualClock clock(isoMs("2026-05-01T12:00:00+08:00"));
  Schedule s = created(test::cronSchedule("0 9 * * *", "Asia/Shanghai"), clock);
  BOOST_TEST(run(s, clock, isoMs("2026-05-04T12:00:00+08:00")) ==
                 (Times{"2026-05-02T09:00:00+08:00", "2026-05-03T09:00:00+08:00",
                        "2026-05-04T09:00:00+08:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.fires == 3);
  BOOST_TEST(s.misfires == 0);
  BOOST_TEST(*s.nextFireMs == isoMs("2026-05-05T09:00:00+08:00"));
  // An engine that wakes two seconds late still sends the fire times themselves.
  BOOST_TEST(run(s, clock, isoMs("2026-05-06T12:00:00+08:00"), 2'000) ==
                 (Times{"2026-05-05T09:00:00+08:00", "2026-05-06T09:00:00+08:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.misfires == 0);
}

BOOST_AUTO_TEST_CASE(a_0230_reminder_fires_once_at_the_end_of_a_spring_forward_gap) {
  // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
  ManualClock clock(isoMs("2026-03-06T12:00:00-05:00"));
  Schedule s = created(test::cronSchedule("30 2 * * *", "America/New_York"), clock);
  BOOST_TEST(run(s, clock, isoMs("2026-03-09T12:00:00-04:00")) ==
                 (Times{"2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00",
                        "2026-03-09T02:30:00-04:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_31st_of_month_reminder_skips_shorter_months_and_l_means_the_last_day) {
  ManualClock clock(isoMs("2026-01-15T00:00:00+08:00"));
  Schedule s = created(test::cronSchedule("0 9 31 * *", "Asia/Shanghai"), clock);
  BOOST_TEST(run(s, clock, isoMs("2026-09-01T00:00:00+08:00")) ==
                 (Times{"2026-01-31T09:00:00+08:00", "2026-03-31T09:00:00+08:00",
                        "2026-05-31T09:00:00+08:00", "2026-07-31T09:00:00+08:00",
                        "2026-08-31T09:00:00+08:00"}),
             boost::test_tools::per_element());
  clock.set(isoMs("2026-01-15T00:00:00+08:00"));
  Schedule last = created(test::cronSchedule("0 9 L * *", "Asia/Shanghai"), clock);
  BOOST_TEST(run(last, clock, isoMs("2026-05-01T00:00:00+08:00")) ==
                 (Times{"2026-01-31T09:00:00+08:00", "2026-02-28T09:00:00+08:00",
                        "2026-03-31T09:00:00+08:00", "2026-04-30T09:00:00+08:00"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(starts_at_and_ends_at_bound_the_fires_inclusively_then_it_finishes) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule draft = test::cronSchedule("0 9 * * *", "UTC");
  draft.startsAtMs = isoMs("2026-05-03T09:00:00Z");
  draft.endsAtMs = isoMs("2026-05-05T09:00:00Z");
  Schedule s = created(draft, clock);
  BOOST_TEST(*s.nextFireMs == isoMs("2026-05-03T09:00:00Z"));
  BOOST_TEST(run(s, clock, isoMs("2026-06-01T00:00:00Z")) ==
                 (Times{"2026-05-03T09:00:00+00:00", "2026-05-04T09:00:00+00:00",
                        "2026-05-05T09:00:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(scheduleStateName(s.state) == "finished");
  BOOST_TEST(!s.nextFireMs);
}

BOOST_AUTO_TEST_CASE(max_fires_finishes_the_schedule_after_that_many_fires) {
  ManualClock clock(isoMs("2026-05-01T00:00:01Z"));
  Schedule draft = test::cronSchedule("0 */6 * * *", "UTC");
  draft.maxFires = 2;
  Schedule s = created(draft, clock);
  BOOST_TEST(run(s, clock, isoMs("2026-06-01T00:00:00Z")) ==
                 (Times{"2026-05-01T06:00:00+00:00", "2026-05-01T12:00:00+00:00"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.fires == 2);
  BOOST_TEST(scheduleStateName(s.state) == "finished");
}

BOOST_AUTO_TEST_CASE(a_one_shot_fires_once_at_its_time) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule s = created(test::oneShotSchedule("2026-05-02T08:15:30+08:00"), clock);
  BOOST_TEST(run(s, clock, isoMs("2027-01-01T00:00:00Z")) == Times{"2026-05-02T00:15:30+00:00"},
             boost::test_tools::per_element());
  BOOST_TEST(scheduleStateName(s.state) == "finished");
  // A one-shot for right now is due at once.
  Schedule now = created(test::oneShotSchedule("2026-05-02T00:15:30Z"), clock);
  BOOST_TEST(*now.nextFireMs == clock.nowMs());
}

BOOST_AUTO_TEST_CASE(a_paused_schedule_has_no_next_fire_and_is_never_due) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule draft = test::cronSchedule("0 9 * * *", "UTC");
  draft.paused = true;
  Schedule s = created(draft, clock);
  BOOST_TEST(scheduleStateName(s.state) == "paused");
  BOOST_TEST(!s.nextFireMs);
  BOOST_TEST(!takeAt(s, "2026-05-03T00:00:00Z").fireMs);
  BOOST_TEST(s.fires == 0);
}

BOOST_AUTO_TEST_CASE(a_fire_late_within_the_grace_is_sent_older_ones_are_skipped_and_counted) {
  ManualClock clock(isoMs("2026-05-01T09:58:30Z"));
  Schedule s = created(test::cronSchedule("* * * * *", "UTC"), clock);
  // Down from 09:58:30 to 10:02:30: 09:59, 10:00, 10:01 and 10:02 are due; only 10:02 is sent.
  auto due = takeAt(s, "2026-05-01T10:02:30Z");
  BOOST_REQUIRE(due.fireMs);
  BOOST_TEST(*due.fireMs == isoMs("2026-05-01T10:02:00Z"));
  BOOST_TEST(due.missed == 3);
  BOOST_TEST(s.misfires == 3);
  BOOST_TEST(s.fires == 1);
  BOOST_TEST(*s.lastFireMs == isoMs("2026-05-01T10:02:00Z"));
  BOOST_TEST(*s.nextFireMs == isoMs("2026-05-01T10:03:00Z"));
}

BOOST_AUTO_TEST_CASE(a_fire_later_than_the_grace_is_skipped_and_counted_not_sent) {
  ManualClock clock(isoMs("2026-05-01T08:00:00Z"));
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), clock);
  // 301 s late with a grace of 300 s.
  auto due = takeAt(s, "2026-05-01T09:05:01Z");
  BOOST_TEST(!due.fireMs);
  BOOST_TEST(due.missed == 1);
  BOOST_TEST(s.fires == 0);
  BOOST_TEST(*s.nextFireMs == isoMs("2026-05-02T09:00:00Z"));
  // Exactly the grace late is still sent.
  due = takeAt(s, "2026-05-02T09:05:00Z");
  BOOST_TEST(*due.fireMs == isoMs("2026-05-02T09:00:00Z"));
}

BOOST_AUTO_TEST_CASE(after_a_long_outage_only_one_catch_up_fire_is_ever_sent) {
  ManualClock clock(isoMs("2026-05-01T08:00:00Z"));
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), clock);
  // Down from May 1st 08:00 to May 4th 09:01: four fires due, the last within the grace.
  auto due = takeAt(s, "2026-05-04T09:01:00Z");
  BOOST_TEST(*due.fireMs == isoMs("2026-05-04T09:00:00Z"));
  BOOST_TEST(due.missed == 3);
  // Asked again at once (another instance, a retry): nothing is due.
  due = takeAt(s, "2026-05-04T09:01:01Z");
  BOOST_TEST(!due.fireMs);
  BOOST_TEST(due.missed == 0);
  BOOST_TEST(s.fires == 1);
}

BOOST_AUTO_TEST_CASE(misfires_are_counted_up_to_a_bound_per_catch_up) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule s = created(test::cronSchedule("* * * * *", "UTC"), clock);
  auto due = takeAt(s, "2026-05-02T00:00:30Z");
  BOOST_TEST(*due.fireMs == isoMs("2026-05-02T00:00:00Z"));
  BOOST_TEST(due.missed == kMaxCountedMisfires);
}

BOOST_AUTO_TEST_CASE(skipped_fires_do_not_use_up_max_fires) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule draft = test::cronSchedule("0 9 * * *", "UTC");
  draft.maxFires = 1;
  Schedule s = created(draft, clock);
  BOOST_TEST(!takeAt(s, "2026-05-01T10:00:00Z").fireMs);
  BOOST_TEST(scheduleStateName(s.state) == "active");
  BOOST_TEST(*takeAt(s, "2026-05-02T09:00:00Z").fireMs == isoMs("2026-05-02T09:00:00Z"));
  BOOST_TEST(scheduleStateName(s.state) == "finished");
}

BOOST_AUTO_TEST_CASE(a_one_shot_found_too_late_finishes_without_firing) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule s = created(test::oneShotSchedule("2026-05-01T01:00:00Z"), clock);
  auto due = takeAt(s, "2026-05-01T02:00:00Z");
  BOOST_TEST(!due.fireMs);
  BOOST_TEST(s.misfires == 1);
  BOOST_TEST(scheduleStateName(s.state) == "finished");
}

BOOST_AUTO_TEST_CASE(a_schedule_not_yet_due_is_left_alone) {
  ManualClock clock(isoMs("2026-05-01T00:00:00Z"));
  Schedule s = created(test::cronSchedule("0 9 * * *", "UTC"), clock);
  auto due = takeAt(s, "2026-05-01T08:59:59Z");
  BOOST_TEST(!due.fireMs);
  BOOST_TEST(*s.nextFireMs == isoMs("2026-05-01T09:00:00Z"));
}

BOOST_AUTO_TEST_CASE(the_idempotency_key_names_the_schedule_and_the_fire_time) {
  BOOST_TEST(scheduleFireKey(42, isoMs("2026-03-08T07:00:00Z")) == "schedule:42:1772953200000");
}

BOOST_AUTO_TEST_SUITE_END()
