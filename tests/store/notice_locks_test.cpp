// Store contract: the locks of real-time notices - intake batches and decisions racing on the
// same users neither deadlock in a loop nor lose an event, and a decision never waits for an
// intake of other users (Notices, "Locks" in store/notices/notices.h). Runs on SQLite and
// MariaDB; the uncommitted intake a decision must not wait for needs a second writer, so that
// case holds one on MariaDB only (SQLite has one writer at a time).
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "store/notices/notices.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

NotifyEvent chatOf(const std::string& id, const std::string& unionid, int64_t atMs) {
  return NotifyEvent{id, unionid, "chat", "Li", "hi", atMs};
}

// Announces every held event in one message and leaves no window open, so that an event
// arriving later is due at once.
NoticeDecision announceHeld(const NoticeUser& user) {
  NoticeDecision d;
  d.window = user.window;
  if (user.held.empty()) return d;
  d.window.notices += 1;
  const std::string key = "realtime:" + user.unionid + ":" + std::to_string(d.window.notices);
  d.message = NewMessage{key, user.unionid, "oa-" + user.unionid, "single", "{}", 0};
  for (const auto& e : user.held) d.marks.emplace_back(e.id, d.window.notices);
  return d;
}

// Decides everything due at nowMs; returns the events marked.
int64_t decideAll(Notices& n, int64_t nowMs) {
  int64_t marked = 0;
  for (;;) {
    auto done = n.decideDue(nowMs, 5, announceHeld);
    if (done.decided.empty()) return marked;
    for (const auto& [user, d] : done.decided) marked += static_cast<int64_t>(d.marks.size());
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_notice_locks, StoreFixture)

// The livelock of docs/benchmarks.md "realtime": on a table holding few rows for the IN list's
// length MariaDB planned the decision's `UPDATE events ... WHERE id IN (...)` as a scan of the
// whole table, which waited for every uncommitted intake row it met.
BOOST_AUTO_TEST_CASE(a_decision_does_not_wait_for_an_uncommitted_intake_of_another_user) {
  Notices& n = store->notices();
  constexpr int kHeld = 16;
  for (int e = 0; e < kHeld; ++e) n.addHeldEvent(chatOf("a" + std::to_string(e), "u1", 1'000 + e));
  int64_t marked = 0;
  const bool releasedByTheDecision = whileAnInsertIsOpen(
      settings,
      "INSERT INTO events(event_id, unionid, type, actor, text, created_at, notice)"
      " VALUES ('b1', 'u2', 'chat', '', '', 1000, 0)",
      [&] { marked = decideAll(n, 5'000); });
  BOOST_TEST(marked == kHeld);
  BOOST_TEST(releasedByTheDecision);  // the decision finished while the intake was open
  BOOST_TEST(n.user("u1").held.empty());
}

BOOST_AUTO_TEST_CASE(intake_and_decisions_racing_on_the_same_users_lose_no_event) {
  constexpr int kUsers = 12, kIntakeThreads = 4, kPerThread = 60, kDeciders = 2;
  Notices& n = store->notices();
  std::atomic<int> posting{kIntakeThreads}, errors{0};
  std::atomic<int64_t> stored{0}, marked{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kIntakeThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "e" + std::to_string(t) + "-" + std::to_string(i);
        try {
          stored += n.addHeldEvent(chatOf(id, "u" + std::to_string(i % kUsers), 1'000 + i));
        } catch (const StoreError&) {
          ++errors;
        }
      }
      --posting;
    });
  }
  for (int t = 0; t < kDeciders; ++t) {
    threads.emplace_back([&] {
      while (posting > 0) {
        try {
          marked += decideAll(n, 1'000'000);
        } catch (const StoreError&) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  marked += decideAll(n, 1'000'000);
  BOOST_TEST(errors.load() == 0);
  BOOST_TEST(stored.load() == kIntakeThreads * kPerThread);
  BOOST_TEST(marked.load() == stored.load());  // each event announced once
  for (int u = 0; u < kUsers; ++u) {
    BOOST_TEST(n.user("u" + std::to_string(u)).held.empty());
    BOOST_TEST(!n.user("u" + std::to_string(u)).dueAtMs.has_value());
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
