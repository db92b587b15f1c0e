// Store contract: user-set reminders - CRUD with the per-user limit, and the claim that fires
// due schedules and enqueues each fire exactly once, on both backends.
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "notify/schedules/schedule_changes.h"
#include "notify/schedules/schedule_firing.h"
#include "store/open_store.h"
#include "support/eventually.h"
#include "support/schedule_fixtures.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

const int64_t kNow = isoMs("2027-01-04T08:00:00+08:00");  // a Monday
const int64_t kNine = isoMs("2027-01-04T09:00:00+08:00");
const int64_t kMinute = 60'000;

struct SchedulesFixture : StoreFixture {
  ReminderRules rules;
  Schedules& schedules = store->schedules();

  SchedulesFixture() { store->accounts().upsertFollowers({{"oa-u1", "u1", true}}, kNow); }

  // A stored daily 09:00 Shanghai reminder for `unionid`.
  Schedule daily(const std::string& unionid = "u1", std::string cron = "0 9 * * *") {
    Schedule draft = cronSchedule(std::move(cron), "Asia/Shanghai");
    draft.unionid = unionid;
    auto stored = schedules.create(newSchedule(draft, rules.rules(), kNow).value(), 1'000);
    BOOST_REQUIRE(stored);
    return *stored;
  }

  std::vector<ScheduleFireDecision> fire(int64_t nowMs, int limit = kFirePage) {
    return schedules.fireDue(nowMs, limit, [&](Schedule& s, const ScheduleRecipient& to) {
      return decideFire(s, to, rules.notify, rules.settings, nowMs);
    });
  }

  // The outbox rows enqueued since the last call, by idempotency key (claimed to read them).
  std::map<std::string, OutboxMessage> taken() {
    std::map<std::string, OutboxMessage> rows;
    for (auto& m : store->notifications().claim("test", 10'000, kNine + 86'400'000, 60'000)) {
      rows.emplace(m.idempotencyKey, m);
    }
    return rows;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_schedules, SchedulesFixture)

BOOST_AUTO_TEST_CASE(a_stored_schedule_reads_back_every_field) {
  Schedule draft = cronSchedule("0 9 * * MON-FRI", "Asia/Shanghai");
  draft.startsAtMs = kNow + kMinute;
  draft.endsAtMs = kNow + 30 * 86'400'000LL;
  draft.maxFires = 7;
  draft.channel = "oa_template";
  draft.params["title"] = "站会 \"quoted\"";
  auto stored = schedules.create(newSchedule(draft, rules.rules(), kNow).value(), 50);
  BOOST_REQUIRE(stored);
  BOOST_TEST(stored->id > 0);
  auto read = schedules.find(stored->id);
  BOOST_REQUIRE(read);
  BOOST_TEST(read->unionid == "u1");
  BOOST_TEST(read->cron == "0 9 * * MON-FRI");
  BOOST_TEST(!read->atMs.has_value());
  BOOST_TEST(read->timezone == "Asia/Shanghai");
  BOOST_TEST(read->templateName == "reminder");
  BOOST_TEST((read->params == draft.params));
  BOOST_TEST(read->channel == "oa_template");
  BOOST_TEST(*read->startsAtMs == *draft.startsAtMs);
  BOOST_TEST(*read->endsAtMs == *draft.endsAtMs);
  BOOST_TEST(*read->maxFires == 7);
  BOOST_TEST((read->state == ScheduleState::Active));
  BOOST_TEST(*read->nextFireMs == kNine);
  BOOST_TEST(!read->lastFireMs.has_value());
  BOOST_TEST(read->createdAtMs == kNow);
  BOOST_TEST(!schedules.find(stored->id + 1000).has_value());
}

BOOST_AUTO_TEST_CASE(a_one_shot_has_its_time_and_no_zone) {
  Schedule draft = oneShotSchedule("2027-01-04T12:00:00+08:00");
  auto stored = schedules.create(newSchedule(draft, rules.rules(), kNow).value(), 50);
  BOOST_REQUIRE(stored);
  auto read = schedules.find(stored->id).value();
  BOOST_TEST(*read.atMs == isoMs("2027-01-04T12:00:00+08:00"));
  BOOST_TEST(read.cron.empty());
  BOOST_TEST(*read.nextFireMs == *read.atMs);
}

BOOST_AUTO_TEST_CASE(the_per_user_limit_counts_every_state_and_only_that_user) {
  Schedule draft =
      newSchedule(cronSchedule("0 9 * * *", "Asia/Shanghai"), rules.rules(), kNow).value();
  BOOST_TEST(schedules.create(draft, 2).has_value());
  auto second = schedules.create(draft, 2);
  BOOST_REQUIRE(second);
  schedules.update(second->id, [](const Schedule& s) {
    Schedule paused = s;
    paused.paused = true;
    paused.state = ScheduleState::Paused;
    paused.nextFireMs.reset();
    return std::optional(paused);
  });
  BOOST_TEST(!schedules.create(draft, 2).has_value());
  draft.unionid = "u2";
  BOOST_TEST(schedules.create(draft, 2).has_value());
  BOOST_TEST(schedules.listByUnionid("u1", 0, 10).size() == 2u);
}

BOOST_AUTO_TEST_CASE(racing_creates_never_pass_the_limit) {
  Schedule draft =
      newSchedule(cronSchedule("0 9 * * *", "Asia/Shanghai"), rules.rules(), kNow).value();
  bool ok = runInProcesses(4, [&](int) {
    auto own = openStore(settings, wallClock());
    for (int i = 0; i < 5; ++i) own->schedules().create(draft, 6);
    return 0;
  });
  BOOST_REQUIRE(ok);
  BOOST_TEST(schedules.listByUnionid("u1", 0, 100).size() == 6u);
}

BOOST_AUTO_TEST_CASE(the_list_pages_by_id_within_one_unionid) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(daily().id);
  daily("u2");
  auto first = schedules.listByUnionid("u1", 0, 2);
  BOOST_REQUIRE(first.size() == 2u);
  BOOST_TEST(first[0].id == ids[0]);
  BOOST_TEST(first[1].id == ids[1]);
  auto rest = schedules.listByUnionid("u1", first[1].id, 10);
  BOOST_REQUIRE(rest.size() == 3u);
  BOOST_TEST(rest[2].id == ids[4]);
  BOOST_TEST(schedules.listByUnionid("nobody", 0, 10).empty());
}

BOOST_AUTO_TEST_CASE(an_update_writes_what_the_change_answers_and_a_refusal_writes_nothing) {
  Schedule s = daily();
  BOOST_TEST((schedules.update(s.id + 1000, [](const Schedule& c) { return std::optional(c); }) ==
              ScheduleUpdate::NotFound));
  BOOST_TEST((schedules.update(s.id, [](const Schedule&) { return std::optional<Schedule>(); }) ==
              ScheduleUpdate::Refused));
  BOOST_TEST(*schedules.find(s.id)->nextFireMs == kNine);
  SchedulePatch patch;
  patch.cron = "30 8 * * *";
  auto outcome = schedules.update(s.id, [&](const Schedule& current) {
    return std::optional(patchSchedule(current, patch, rules.rules(), kNow + kMinute).value());
  });
  BOOST_TEST((outcome == ScheduleUpdate::Updated));
  auto read = schedules.find(s.id).value();
  BOOST_TEST(read.cron == "30 8 * * *");
  BOOST_TEST(*read.nextFireMs == isoMs("2027-01-04T08:30:00+08:00"));
  BOOST_TEST(read.updatedAtMs == kNow + kMinute);
  BOOST_TEST(read.createdAtMs == kNow);
}

BOOST_AUTO_TEST_CASE(remove_deletes_once) {
  Schedule s = daily();
  BOOST_TEST(schedules.remove(s.id));
  BOOST_TEST(!schedules.remove(s.id));
  BOOST_TEST(!schedules.find(s.id).has_value());
}

BOOST_AUTO_TEST_CASE(a_fire_is_enqueued_and_the_next_fire_advanced_together) {
  Schedule s = daily();
  BOOST_TEST(fire(kNine - 1).empty());
  BOOST_TEST(*schedules.nextFireMs() == kNine);
  auto decisions = fire(kNine + 250);
  BOOST_REQUIRE(decisions.size() == 1u);
  BOOST_TEST(*decisions[0].fireMs == kNine);
  auto rows = taken();
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_REQUIRE(rows.count(scheduleFireKey(s.id, kNine)) == 1u);
  auto row = &rows.begin()->second;
  BOOST_TEST(row->touser == "oa-u1");
  BOOST_TEST(row->unionid == "u1");
  BOOST_TEST(row->templateName == "reminder");
  BOOST_TEST(row->payload.find("Stand-up") != std::string::npos);
  auto read = schedules.find(s.id).value();
  BOOST_TEST(*read.nextFireMs == kNine + 86'400'000);
  BOOST_TEST(*read.lastFireMs == kNine);
  BOOST_TEST(read.fires == 1);
  BOOST_TEST(fire(kNine + 500).empty());  // fired once
  BOOST_TEST(*schedules.nextFireMs() == kNine + 86'400'000);
}

BOOST_AUTO_TEST_CASE(a_pass_takes_at_most_its_limit_earliest_first) {
  std::vector<int64_t> ids;
  for (int minute = 5; minute >= 1; --minute) {
    ids.push_back(daily("u1", std::to_string(minute) + " 9 * * *").id);
  }
  const int64_t now = kNine + 5 * kMinute;  // every fire within the misfire grace
  auto decisions = fire(now, 2);
  BOOST_REQUIRE(decisions.size() == 2u);
  BOOST_TEST(*decisions[0].fireMs == kNine + kMinute);
  BOOST_TEST(*decisions[1].fireMs == kNine + 2 * kMinute);
  BOOST_TEST(fire(now, 10).size() == 3u);
  BOOST_TEST(fire(now, 10).empty());
  BOOST_TEST(taken().size() == 5u);
}

BOOST_AUTO_TEST_CASE(a_user_who_does_not_follow_is_counted_unreachable_without_a_message) {
  Schedule s = daily("u9");
  store->accounts().upsertFollowers({{"oa-u8", "u8", false}}, kNow);
  Schedule gone = daily("u8");
  auto decisions = fire(kNine);
  BOOST_REQUIRE(decisions.size() == 2u);
  BOOST_TEST(decisions[0].unreachable);
  BOOST_TEST(decisions[1].unreachable);
  BOOST_TEST(taken().empty());
  BOOST_TEST(schedules.find(s.id)->unreachable == 1);
  BOOST_TEST(*schedules.find(s.id)->nextFireMs == kNine + 86'400'000);
}

// With a subscribe variant, a reminder to a non-follower is not unreachable: it is enqueued
// with the reminder class and no channel yet, and the sender chooses one (docs/channels.md).
BOOST_AUTO_TEST_CASE(a_reminder_with_other_channels_is_enqueued_for_a_non_follower) {
  TemplateSpec mp{"reminder", "TPL_REMIND_MP", std::nullopt, {}};
  mp.channel = Channel::MpSubscribe;
  mp.page = "pages/todo/index";
  mp.data.emplace_back("thing1", parsePattern("{{params.title}}").value());
  rules.notify.templates.at("reminder").variants = {mp};
  Schedule draft = cronSchedule("0 9 * * *", "Asia/Shanghai");
  draft.unionid = "u9";  // follows nobody
  draft.channel = "auto";
  Schedule fixed = daily("u9");  // its template's own channel: oa_template alone
  auto stored = schedules.create(newSchedule(draft, rules.rules(), kNow).value(), 1'000);
  BOOST_REQUIRE(stored);
  auto decisions = fire(kNine);
  BOOST_REQUIRE(decisions.size() == 2u);
  auto rows = taken();
  BOOST_REQUIRE(rows.size() == 1u);
  const OutboxMessage& m = rows.begin()->second;
  BOOST_TEST(m.idempotencyKey == scheduleFireKey(stored->id, kNine));
  BOOST_TEST(m.channel == "");
  BOOST_TEST(m.sendClass == static_cast<int>(SendClass::Reminder));
  BOOST_TEST(m.payload.find("TPL_REMIND_MP") != std::string::npos);
  BOOST_TEST(schedules.find(stored->id)->unreachable == 0);
  BOOST_TEST(schedules.find(fixed.id)->unreachable == 1);
}

// A follower's reminder is an oa_template message of the reminder class, not a direct one.
BOOST_AUTO_TEST_CASE(a_followers_reminder_has_the_reminder_class) {
  daily("u1");
  BOOST_REQUIRE(fire(kNine).size() == 1u);
  auto rows = taken();
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows.begin()->second.channel == "oa_template");
  BOOST_TEST(rows.begin()->second.touser == "oa-u1");
  BOOST_TEST(rows.begin()->second.sendClass == static_cast<int>(SendClass::Reminder));
}

BOOST_AUTO_TEST_CASE(a_pass_that_dies_before_its_commit_enqueues_nothing_and_moves_nothing) {
  Schedule first = daily("u1", "0 9 * * *");
  Schedule second = daily("u1", "1 9 * * *");
  int calls = 0;
  BOOST_CHECK_THROW(schedules.fireDue(kNine + kMinute, 10,
                                      [&](Schedule& s, const ScheduleRecipient& to) {
                                        if (++calls == 2) throw std::runtime_error("killed");
                                        return decideFire(s, to, rules.notify, rules.settings,
                                                          kNine + kMinute);
                                      }),
                    std::runtime_error);
  BOOST_TEST(taken().empty());
  BOOST_TEST(*schedules.find(first.id)->nextFireMs == kNine);
  BOOST_TEST(fire(kNine + kMinute).size() == 2u);  // the next pass fires both
  auto rows = taken();
  BOOST_TEST(rows.size() == 2u);
  BOOST_TEST(rows.count(scheduleFireKey(first.id, kNine)) == 1u);
  BOOST_TEST(rows.count(scheduleFireKey(second.id, kNine + kMinute)) == 1u);
}

BOOST_AUTO_TEST_CASE(a_claimer_killed_between_claim_and_enqueue_leaves_its_fires_to_the_next) {
  Schedule first = daily("u1", "0 9 * * *");
  Schedule second = daily("u1", "1 9 * * *");
  int ready[2];
  BOOST_REQUIRE(pipe(ready) == 0);
  pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {  // claims both, then stops dead inside its transaction
    auto own = openStore(settings, wallClock());
    own->schedules().fireDue(kNine + kMinute, 10, [&](Schedule&, const ScheduleRecipient&) {
      if (write(ready[1], "x", 1) != 1) _exit(3);
      for (;;) pause();
      return ScheduleFireDecision{};
    });
    _exit(4);
  }
  char byte = 0;
  BOOST_REQUIRE(read(ready[0], &byte, 1) == 1);  // the child holds the claim now
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  BOOST_TEST(WIFSIGNALED(status));
  close(ready[0]);
  close(ready[1]);
  // MariaDB releases the dead claimer's row locks once it has seen the connection close and
  // rolled back; until then the rows are skipped, as the engine's next pass (a second later)
  // would find. Every fire is made by some later pass, exactly once.
  size_t fired = 0;
  BOOST_TEST(eventually([&] { return (fired += fire(kNine + kMinute).size()) >= 2; }, 20'000, 50));
  BOOST_TEST(fired == 2u);
  auto rows = taken();
  BOOST_TEST(rows.size() == 2u);
  BOOST_TEST(rows.count(scheduleFireKey(first.id, kNine)) == 1u);
  BOOST_TEST(rows.count(scheduleFireKey(second.id, kNine + kMinute)) == 1u);
  BOOST_TEST(schedules.find(first.id)->fires == 1);
}

BOOST_AUTO_TEST_CASE(max_fires_finishes_and_the_count_by_state_says_so) {
  Schedule draft = cronSchedule("0 9 * * *", "Asia/Shanghai");
  draft.maxFires = 1;
  auto once = schedules.create(newSchedule(draft, rules.rules(), kNow).value(), 50).value();
  daily();
  fire(kNine);
  BOOST_TEST((schedules.find(once.id)->state == ScheduleState::Finished));
  BOOST_TEST(!schedules.find(once.id)->nextFireMs.has_value());
  auto counts = schedules.countByState();
  BOOST_TEST(counts[ScheduleState::Finished] == 1);
  BOOST_TEST(counts[ScheduleState::Active] == 1);
  BOOST_TEST(counts.count(ScheduleState::Paused) == 0u);
}

BOOST_AUTO_TEST_CASE(concurrent_passes_enqueue_every_fire_exactly_once) {
  constexpr int kSchedules = 300;
  constexpr int kProcesses = 4;
  // Fires in 09:00:00-09:00:59 (seconds field), all within the grace at 09:01.
  for (int i = 0; i < kSchedules; ++i) daily("u1", std::to_string(i % 60) + " 0 9 * * *");
  auto dir = std::filesystem::temp_directory_path() / ("wxb-sched-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  bool ok = runInProcesses(kProcesses, [&](int index) {
    auto own = openStore(settings, wallClock());
    std::ofstream log(dir / std::to_string(index));
    const int64_t now = kNine + kMinute;
    for (;;) {
      auto decisions =
          own->schedules().fireDue(now, 7, [&](Schedule& s, const ScheduleRecipient& to) {
            return decideFire(s, to, rules.notify, rules.settings, now);
          });
      if (decisions.empty()) return 0;
      for (const auto& d : decisions) log << d.message->idempotencyKey << "\n";
    }
  });
  BOOST_REQUIRE(ok);
  std::multiset<std::string> keys;
  for (int i = 0; i < kProcesses; ++i) {
    std::ifstream in(dir / std::to_string(i));
    for (std::string key; in >> key;) keys.insert(key);
  }
  std::filesystem::remove_all(dir);
  std::set<std::string> distinct(keys.begin(), keys.end());
  BOOST_TEST(keys.size() == static_cast<size_t>(kSchedules));
  BOOST_TEST(distinct.size() == static_cast<size_t>(kSchedules));
  BOOST_TEST(taken().size() == static_cast<size_t>(kSchedules));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
