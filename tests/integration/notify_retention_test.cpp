// RetentionPurger over a real store: a pass deletes what is older than the retention in chunks
// until none is left, waits for another process's lease, and stops at its time budget leaving
// the rest to the next pass. (The store contract suite checks which rows a purge may delete.)
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "notify/retention.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kNowMs = 1'800'000'000'000;

// A clock that moves on by stepMs every time it is read.
class SteppingClock final : public Clock {
 public:
  SteppingClock(int64_t startMs, int64_t stepMs) : now_(startMs), step_(stepMs) {}
  int64_t nowMs() const override { return now_ += step_; }

 private:
  mutable std::atomic<int64_t> now_;
  const int64_t step_;
};

// `n` sent messages last updated at `at`; returns their ids.
std::vector<int64_t> sentAt(Notifications& notify, int n, int64_t at, const std::string& prefix) {
  std::vector<int64_t> ids;
  for (int i = 0; i < n; ++i) {
    NewMessage m{prefix + std::to_string(i), "u", "oa", "daily", "{}", 0};
    ids.push_back(notify.enqueue(m, at).id);
    notify.claim("o", 1, at, 5'000);
    notify.markSent({{ids.back(), 1}}, "o", at);
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_retention)

BOOST_AUTO_TEST_CASE(a_pass_deletes_everything_past_the_retention_in_chunks) {
  auto store = freshStore(backend());
  Notifications& notify = store->notifications();
  sentAt(notify, 5, kNowMs - 31 * kDayMs, "old");
  auto recent = sentAt(notify, 1, kNowMs - 29 * kDayMs, "recent");
  for (const char* unionid : {"u1", "u2", "u3"}) {
    notify.addEvent(NotifyEvent{std::string("e-") + unionid, unionid, "chat", "", "", 0});
    notify.markRead(unionid, {}, kNowMs - 31 * kDayMs);
  }
  ManualClock clock(kNowMs);
  RetentionPurger purger(store->notifications(), store->subscriptions(), store->leases(), clock, 30,
                         2);
  RetentionReport report = purger.purge();
  BOOST_TEST(report.messages == 5);
  BOOST_TEST(report.events == 3);
  BOOST_TEST(report.complete);
  BOOST_TEST(!report.busy);
  BOOST_TEST(notify.message(recent[0]).has_value());
  BOOST_TEST(notify.depthByState().at(OutboxState::Sent) == 1);
  BOOST_TEST(!store->leases().holder(RetentionPurger::kLease, kNowMs));
}

BOOST_AUTO_TEST_CASE(a_pass_leaves_the_purge_to_the_process_holding_the_lease) {
  auto store = freshStore(backend());
  auto old = sentAt(store->notifications(), 1, kNowMs - 40 * kDayMs, "old");
  ManualClock clock(kNowMs);
  BOOST_REQUIRE(store->leases().tryAcquire(RetentionPurger::kLease, "other", 60'000, kNowMs));
  RetentionPurger purger(store->notifications(), store->subscriptions(), store->leases(), clock,
                         30);
  BOOST_TEST(purger.purge().busy);
  BOOST_TEST(store->notifications().message(old[0]).has_value());
  clock.advance(60'000);  // the other process's lease lapsed
  BOOST_TEST(purger.purge().messages == 1);
}

BOOST_AUTO_TEST_CASE(a_pass_stops_at_its_time_budget_and_the_next_goes_on) {
  auto store = freshStore(backend());
  sentAt(store->notifications(), 5, kNowMs - 40 * kDayMs, "old");
  SteppingClock clock(kNowMs, RetentionPurger::kPassBudgetMs);
  RetentionPurger purger(store->notifications(), store->subscriptions(), store->leases(), clock, 30,
                         2);
  RetentionReport first = purger.purge();
  BOOST_TEST(first.messages == 2);
  BOOST_TEST(!first.complete);
  BOOST_TEST(purger.purge().messages == 2);
  RetentionReport last = purger.purge();
  BOOST_TEST(last.messages == 1);
  BOOST_TEST(last.complete);
}

BOOST_AUTO_TEST_CASE(a_retention_of_zero_days_has_no_purger) {
  auto store = freshStore(backend());
  ManualClock clock;
  BOOST_CHECK_THROW(
      RetentionPurger(store->notifications(), store->subscriptions(), store->leases(), clock, 0),
      std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
