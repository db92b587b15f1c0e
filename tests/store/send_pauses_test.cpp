// ChannelBudgets' 45009 pauses over a real store (both backends): the send_pauses row is the
// truth - an operator who deletes it lifts the pause at every instance's next refresh, no
// restart - while a pause whose store write failed still holds here and is written by the next
// refresh; a pause that ended is still read for a few minutes, so the lower send classes resume
// after the higher.
#include <boost/test/unit_test.hpp>

#include "notify/channel_budgets.h"
#include "store/open_store.h"
#include "support/store_fixture.h"
#include "wechat/china_day.h"

namespace wxb::test {

namespace {

constexpr int64_t kNow = 1'780'000'000'000;
constexpr int64_t kHour = 3'600'000;

const DailyBudgets kBudgets = {100'000, 100'000, 100'000};

bool closed(const ChannelBudgets& budgets, SendClass sendClass, int64_t nowMs) {
  return budgets.closedFor(sendClass, nowMs).contains(Channel::OaTemplate);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_send_pauses, StoreFixture)

BOOST_AUTO_TEST_CASE(a_deleted_pause_row_lifts_the_pause_at_every_instance_s_next_refresh) {
  ChannelBudgets budgets(store->notifications(), kBudgets);
  auto other = openStore(settings, wallClock());
  ChannelBudgets otherBudgets(other->notifications(), kBudgets);
  BOOST_TEST(budgets.pause(Channel::OaTemplate, kNow + kHour, "45009", kNow));
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow));
  budgets.refresh(kNow + 1'000);
  otherBudgets.refresh(kNow + 1'000);
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow + 1'000));
  BOOST_TEST(closed(otherBudgets, SendClass::Direct, kNow + 1'000));

  execSql(settings, "DELETE FROM send_pauses WHERE api = 'oa_template'");
  budgets.refresh(kNow + 2'000);
  otherBudgets.refresh(kNow + 2'000);
  BOOST_TEST(!closed(budgets, SendClass::Digest, kNow + 2'000));
  BOOST_TEST(!closed(otherBudgets, SendClass::Digest, kNow + 2'000));
}

BOOST_AUTO_TEST_CASE(a_pause_whose_store_write_failed_holds_and_the_next_refresh_writes_it) {
  ChannelBudgets budgets(store->notifications(), kBudgets);
  execSql(settings, "ALTER TABLE send_pauses RENAME TO send_pauses_away");
  BOOST_CHECK_THROW(budgets.pause(Channel::OaTemplate, kNow + kHour, "45009", kNow),
                    std::exception);
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow));
  BOOST_CHECK_THROW(budgets.refresh(kNow + 1'000), std::exception);
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow + 1'000));

  execSql(settings, "ALTER TABLE send_pauses_away RENAME TO send_pauses");
  budgets.refresh(kNow + 2'000);
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow + 2'000));
  auto stored = store->notifications().sendsPausedUntil("oa_template", kNow + 2'000);
  BOOST_REQUIRE(stored);
  BOOST_TEST(*stored == kNow + kHour);
  budgets.refresh(kNow + 3'000);  // read back: from now on the row decides
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow + 3'000));
  execSql(settings, "DELETE FROM send_pauses");
  budgets.refresh(kNow + 4'000);
  BOOST_TEST(!closed(budgets, SendClass::Direct, kNow + 4'000));
}

// A pause whose store write keeps failing (a trigger refuses it, reads still work) does not keep
// the refresh from reading the shared counts: another instance's sends close the channel here.
BOOST_AUTO_TEST_CASE(a_pause_write_that_keeps_failing_does_not_stop_the_refresh) {
  const DailyBudgets budget = {100'000, 10, 100'000};  // mp_subscribe: 10 a day
  ChannelBudgets budgets(store->notifications(), budget);
  execSql(settings, backendName == "mysql"
                        ? "CREATE TRIGGER no_pauses BEFORE INSERT ON send_pauses FOR EACH ROW "
                          "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'"
                        : "CREATE TRIGGER no_pauses BEFORE INSERT ON send_pauses "
                          "BEGIN SELECT RAISE(ABORT, 'refused'); END");
  BOOST_CHECK_THROW(budgets.pause(Channel::OaTemplate, kNow + kHour, "45009", kNow),
                    std::exception);
  store->notifications().countSends(chinaDay(kNow), {{"mp_subscribe", 10}});
  budgets.refresh(kNow + 1'000);
  BOOST_TEST(budgets.closedFor(SendClass::Direct, kNow + 1'000).contains(Channel::MpSubscribe));
  BOOST_TEST(closed(budgets, SendClass::Direct, kNow + 1'000));  // the pause still holds
  execSql(settings, "DROP TRIGGER no_pauses");
  budgets.refresh(kNow + 2'000);
  BOOST_TEST(store->notifications().sendsPausedUntil("oa_template", kNow + 2'000).has_value());
}

// The stagger (notify/send_priority.h): a pause that ended a minute ago still holds the lower
// classes, for an instance that never saw the pause itself too.
BOOST_AUTO_TEST_CASE(a_pause_that_ended_still_staggers_the_lower_classes) {
  ChannelBudgets budgets(store->notifications(), kBudgets);
  budgets.pause(Channel::OaTemplate, kNow + 1'000, "45009", kNow);
  const int64_t later = kNow + 1'000 + kResumeStaggerMs + 1'000;  // the pause ended 61 s ago
  budgets.refresh(later);
  ChannelBudgets fresh(store->notifications(), kBudgets);
  fresh.refresh(later);
  for (const ChannelBudgets* b : {&budgets, &fresh}) {
    BOOST_TEST(!closed(*b, SendClass::Direct, later));
    BOOST_TEST(!closed(*b, SendClass::Reminder, later));
    BOOST_TEST(closed(*b, SendClass::Realtime, later));
    BOOST_TEST(closed(*b, SendClass::Digest, later));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
