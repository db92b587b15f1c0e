// Store contract: the retention purge deletes exactly the outbox rows in a final state (sent,
// failed, unknown and never to be resent) last updated before the cutoff and the events read
// before it, a bounded chunk at a time; pending, sending and resendable rows and unread events
// stay however old. Runs unchanged on SQLite and MariaDB.
#include <boost/test/unit_test.hpp>
#include <map>
#include <set>

#include "store/notifications/notifications.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

constexpr int64_t kCutoff = 10'000'000;
constexpr int64_t kForeverMs = 1'000'000'000'000;
const std::map<std::string, int64_t> kTimes = {
    {"old", kCutoff - 1'000}, {"cutoff", kCutoff}, {"new", kCutoff + 1'000}};

NewMessage message(const std::string& key) {
  return NewMessage{key, "uUser", "oaUser", "daily", R"({"template_id":"T"})", 0};
}

// Enqueues `key` at `at` and claims it until at + ttlMs; it must be the only due message.
int64_t claimed(Notifications& n, const std::string& key, int64_t at, int64_t ttlMs) {
  int64_t id = n.enqueue(message(key), at).id;
  auto got = n.claim("o", 10, at, ttlMs);
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_REQUIRE(got[0].id == id);
  return id;
}

// Messages in a final state, one per state and time of kTimes, keyed "<state>@<time>".
void addFinal(Notifications& n, std::map<std::string, int64_t>& ids) {
  for (const auto& [name, at] : kTimes) {
    int64_t sent = ids["sent@" + name] = claimed(n, "sent@" + name, at, 5'000);
    n.markSent({{sent, 7}}, "o", at);
    int64_t failed = ids["failed@" + name] = claimed(n, "failed@" + name, at, 5'000);
    n.markFailed(failed, "o", 40003, "invalid openid", at);
    int64_t unknown = ids["unknown@" + name] = claimed(n, "unknown@" + name, at, 5'000);
    n.markUnknown(unknown, "o", "no answer, past the dedup window", at);
  }
}

// Messages that are not final, old and new: being sent, unknown but due to be resent (its
// sender died), and pending. Built in an order in which each claim finds only its own message.
void addOpen(Notifications& n, std::map<std::string, int64_t>& ids) {
  for (const char* name : {"old", "new"}) {
    ids[std::string("sending@") + name] =
        claimed(n, std::string("sending@") + name, kTimes.at(name), kForeverMs);
  }
  for (const char* name : {"new", "old"}) {
    const int64_t at = kTimes.at(name);
    ids[std::string("resending@") + name] = claimed(n, std::string("resending@") + name, at, 1);
    BOOST_REQUIRE(n.recoverStale(at + 2) == 1);
  }
  for (const char* name : {"old", "new"}) {
    ids[std::string("pending@") + name] =
        n.enqueue(message(std::string("pending@") + name), kTimes.at(name)).id;
  }
}

// Events "unread", "read@old", "read@cutoff", "read@new", each of a unionid of its own.
void addEvents(Notifications& n) {
  n.addEvent(NotifyEvent{"unread", "u-unread", "chat", "a", "t", 1'000});
  for (const auto& [name, at] : kTimes) {
    n.addEvent(NotifyEvent{"read@" + name, "u-" + name, "chat", "a", "t", 1'000});
    n.markRead("u-" + name, {}, at);
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_notify_retention, StoreFixture)

BOOST_AUTO_TEST_CASE(purge_deletes_only_final_messages_and_read_events_older_than_the_cutoff) {
  Notifications& n = store->notifications();
  std::map<std::string, int64_t> ids;
  addFinal(n, ids);
  addOpen(n, ids);
  addEvents(n);
  auto resending = n.message(ids["resending@old"]);
  BOOST_TEST((resending->state == OutboxState::Unknown && resending->dueAtMs.has_value()));
  PurgeCounts purged = n.purgeBefore(kCutoff, 1'000);
  BOOST_TEST(purged.messages == 3);
  BOOST_TEST(purged.events == 1);
  const std::set<std::string> gone = {"sent@old", "failed@old", "unknown@old"};
  for (const auto& [key, id] : ids) {
    BOOST_TEST_CONTEXT(key) { BOOST_TEST(n.message(id).has_value() == !gone.count(key)); }
  }
  // A known event id is refused; a purged one is new again (and unread).
  BOOST_TEST(n.addEvent(NotifyEvent{"read@old", "u-old", "chat", "a", "t", 2'000}));
  for (const char* kept : {"unread", "read@cutoff", "read@new"}) {
    BOOST_TEST_CONTEXT(kept) {
      BOOST_TEST(!n.addEvent(NotifyEvent{kept, "u", "chat", "a", "t", 2'000}));
    }
  }
  BOOST_TEST(n.unreadSummary("u-unread").has_value());
  PurgeCounts again = n.purgeBefore(kCutoff, 1'000);
  BOOST_TEST(again.messages == 0);
  BOOST_TEST(again.events == 0);
}

BOOST_AUTO_TEST_CASE(a_purged_idempotency_key_makes_a_new_message) {
  Notifications& n = store->notifications();
  int64_t first = claimed(n, "order-1", 1'000, 5'000);
  n.markSent({{first, 7}}, "o", 1'000);
  n.purgeBefore(kCutoff, 1'000);
  EnqueueResult again = n.enqueue(message("order-1"), kCutoff);
  BOOST_TEST(again.created);
  BOOST_TEST(again.id != first);
  BOOST_TEST(!n.message(first).has_value());
}

BOOST_AUTO_TEST_CASE(a_purge_deletes_at_most_max_rows_of_each_kind) {
  Notifications& n = store->notifications();
  for (int i = 0; i < 5; ++i) {
    int64_t id = claimed(n, "m" + std::to_string(i), 1'000, 5'000);
    n.markFailed(id, "o", 40037, "invalid template_id", 1'000);
  }
  for (int i = 0; i < 3; ++i) {
    const std::string unionid = "u" + std::to_string(i);
    n.addEvent(NotifyEvent{"e" + std::to_string(i), unionid, "chat", "a", "t", 1'000});
    n.markRead(unionid, {}, 2'000);
  }
  const std::vector<std::pair<int64_t, int64_t>> chunks = {{2, 2}, {2, 1}, {1, 0}, {0, 0}};
  for (const auto& [messages, events] : chunks) {
    PurgeCounts purged = n.purgeBefore(kCutoff, 2);
    BOOST_TEST(purged.messages == messages);
    BOOST_TEST(purged.events == events);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
