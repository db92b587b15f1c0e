// Reminders fired by the ScheduleEngine over the store on both backends, against a ManualClock:
// each fire at its instant and no other (02:30 in a spring-forward gap, the 31st of the month),
// one catch-up after an outage with the skipped fires counted, and a change between two fires
// that moves the next one.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <vector>

#include "notify/schedules/schedule_changes.h"
#include "notify/schedules/schedule_engine.h"
#include "notify/schedules/schedule_firing.h"
#include "support/schedule_fixtures.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

constexpr int64_t kPollMs = 60'000;

struct EngineFixture : StoreFixture {
  ReminderRules rules;
  ManualClock clock{isoMs("2027-03-13T12:00:00-05:00")};
  ScheduleFiring firing{store->schedules(), clock, rules.notify, rules.settings};
  ScheduleEngine engine{
      clock, [this](int64_t now) { return firing.fireDue(now); }, {.pollMs = kPollMs}};

  EngineFixture() { store->accounts().upsertFollowers({{"oa-u1", "u1", true}}, clock.nowMs()); }

  int64_t add(Schedule draft) {
    auto s = newSchedule(draft, rules.rules(), clock.nowMs()).value();
    return store->schedules().create(s, 50).value().id;
  }

  // Fires as the engine's loop would from now until `endMs`, sleeping straight to each next
  // fire (the poll only matters for changes made elsewhere): returns the outbox keys enqueued,
  // in order, each checked to be enqueued at its own fire time.
  std::vector<std::string> runUntil(int64_t endMs) {
    std::vector<std::string> keys;
    while (clock.nowMs() <= endMs) {
      auto next = firing.fireDue(clock.nowMs());
      for (auto& m : store->notifications().claim("t", 1'000, clock.nowMs(), 60'000)) {
        BOOST_TEST(m.idempotencyKey.ends_with(":" + std::to_string(clock.nowMs())));
        keys.push_back(m.idempotencyKey);
      }
      clock.set(next ? std::min(*next, endMs + 1) : endMs + 1);
    }
    return keys;
  }
};

std::string key(int64_t id, std::string_view at) { return scheduleFireKey(id, isoMs(at)); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_schedule_fires, EngineFixture)

BOOST_AUTO_TEST_CASE(a_0230_reminder_fires_once_a_day_and_at_0300_in_the_spring_forward_gap) {
  int64_t id = add(cronSchedule("30 2 * * *", "America/New_York"));
  auto keys = runUntil(isoMs("2027-03-15T12:00:00-04:00"));
  std::vector<std::string> expected = {key(id, "2027-03-14T03:00:00-04:00"),
                                       key(id, "2027-03-15T02:30:00-04:00")};
  BOOST_TEST(keys == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_31st_of_month_reminder_skips_the_months_without_one) {
  clock.set(isoMs("2027-03-30T00:00:00+08:00"));
  int64_t id = add(cronSchedule("0 9 31 * *", "Asia/Shanghai"));
  auto keys = runUntil(isoMs("2027-06-01T00:00:00+08:00"));
  std::vector<std::string> expected = {key(id, "2027-03-31T09:00:00+08:00"),
                                       key(id, "2027-05-31T09:00:00+08:00")};
  BOOST_TEST(keys == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_engine_wakes_for_a_fire_at_its_instant_not_at_the_next_poll) {
  clock.set(isoMs("2027-03-13T08:59:30+08:00"));
  add(cronSchedule("0 9 * * *", "Asia/Shanghai"));
  BOOST_TEST(engine.runOnce() == 30'000);  // sleeps exactly until 09:00
  clock.advance(29'999);
  BOOST_TEST(engine.runOnce() == 1);
  clock.advance(1);
  engine.runOnce();
  auto due = store->notifications().claim("t", 10, clock.nowMs(), 60'000);
  BOOST_REQUIRE(due.size() == 1u);
  BOOST_TEST(engine.runOnce() == kPollMs);  // the next fire is a day away
}

BOOST_AUTO_TEST_CASE(after_an_outage_one_catch_up_is_sent_and_the_skipped_fires_are_counted) {
  clock.set(isoMs("2027-03-13T08:00:00+08:00"));
  int64_t id = add(cronSchedule("*/5 * * * *", "Asia/Shanghai"));
  clock.set(isoMs("2027-03-13T09:02:00+08:00"));  // every instance was down for an hour
  engine.runOnce();
  auto due = store->notifications().claim("t", 100, clock.nowMs(), 60'000);
  BOOST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].idempotencyKey == key(id, "2027-03-13T09:00:00+08:00"));
  auto s = store->schedules().find(id).value();
  BOOST_TEST(s.misfires == 12);  // 08:00 ... 08:55
  BOOST_TEST(s.fires == 1);
  BOOST_TEST(*s.nextFireMs == isoMs("2027-03-13T09:05:00+08:00"));
}

BOOST_AUTO_TEST_CASE(a_patch_between_two_fires_moves_the_next_one) {
  clock.set(isoMs("2027-03-13T08:00:00+08:00"));
  int64_t id = add(cronSchedule("0 9 * * *", "Asia/Shanghai"));
  auto first = runUntil(isoMs("2027-03-13T10:00:00+08:00"));
  BOOST_TEST(first.size() == 1u);
  SchedulePatch patch;
  patch.cron = "0 18 * * *";
  store->schedules().update(id, [&](const Schedule& current) {
    return std::optional(patchSchedule(current, patch, rules.rules(), clock.nowMs()).value());
  });
  auto keys = runUntil(isoMs("2027-03-14T12:00:00+08:00"));
  std::vector<std::string> expected = {key(id, "2027-03-13T18:00:00+08:00")};
  BOOST_TEST(keys == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_paused_schedule_sends_nothing_until_resumed) {
  clock.set(isoMs("2027-03-13T08:00:00+08:00"));
  int64_t id = add(cronSchedule("0 9 * * *", "Asia/Shanghai"));
  auto setPaused = [&](bool paused) {
    SchedulePatch patch;
    patch.paused = paused;
    store->schedules().update(id, [&](const Schedule& current) {
      return std::optional(patchSchedule(current, patch, rules.rules(), clock.nowMs()).value());
    });
  };
  setPaused(true);
  BOOST_TEST(runUntil(isoMs("2027-03-14T08:00:00+08:00")).empty());
  setPaused(false);
  auto keys = runUntil(isoMs("2027-03-14T10:00:00+08:00"));
  std::vector<std::string> expected = {key(id, "2027-03-14T09:00:00+08:00")};
  BOOST_TEST(keys == expected, boost::test_tools::per_element());
  BOOST_TEST(store->schedules().find(id)->misfires == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
