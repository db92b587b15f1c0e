// Store contract: notifications - events, the outbox and its claims, recovery after a crash,
// send pauses and digest runs. Runs unchanged on SQLite and MariaDB.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/notifications/notifications.h"
#include "store/open_store.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

NotifyEvent event(const std::string& id, const std::string& unionid, const std::string& type,
                  const std::string& actor = "a", const std::string& text = "t") {
  return NotifyEvent{id, unionid, type, actor, text, 1'000};
}

NewMessage message(const std::string& key, const std::string& touser = "oaUser") {
  return NewMessage{key, "uUser", touser, "daily", R"({"template_id":"T"})", 0};
}

int64_t countOf(const UnreadSummary& s, const std::string& type) {
  for (const auto& c : s.counts) {
    if (c.type == type) return c.count;
  }
  return 0;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_notify, StoreFixture)

BOOST_AUTO_TEST_CASE(the_same_event_id_twice_stores_one_event) {
  Notifications& n = store->notifications();
  BOOST_TEST(n.addEvent(event("e1", "u1", "chat")));
  BOOST_TEST(!n.addEvent(event("e1", "u1", "chat")));
  BOOST_TEST(!n.addEvent(event("e1", "u2", "invitation")));
  auto summary = n.unreadSummary("u1");
  BOOST_REQUIRE(summary);
  BOOST_TEST(countOf(*summary, "chat") == 1);
  BOOST_TEST(!n.unreadSummary("u2").has_value());
}

BOOST_AUTO_TEST_CASE(unread_summary_counts_by_type_and_names_the_newest_event) {
  Notifications& n = store->notifications();
  store->accounts().upsertFollowers({{"oa1", "u1", true}}, 1);
  n.addEvent(event("e1", "u1", "chat", "Ann", "hi"));
  n.addEvent(event("e2", "u1", "invitation", "Bob", "join us"));
  n.addEvent(event("e3", "u1", "chat", "Cleo", "最新的消息"));
  auto s = n.unreadSummary("u1");
  BOOST_REQUIRE(s);
  BOOST_TEST(s->counts.size() == 2u);
  BOOST_TEST(countOf(*s, "chat") == 2);
  BOOST_TEST(countOf(*s, "invitation") == 1);
  BOOST_TEST(s->latestActor == "Cleo");
  BOOST_TEST(s->latestText == "最新的消息");
  BOOST_REQUIRE(s->newestByType.size() == 2u);  // the digest shows the newest not muted
  BOOST_TEST(s->newestByType[0].type == "chat");
  BOOST_TEST(s->newestByType[0].actor == "Cleo");
  BOOST_TEST(s->newestByType[1].type == "invitation");
  BOOST_TEST(s->newestByType[1].text == "join us");
  BOOST_TEST(s->newestByType[1].id < s->newestByType[0].id);
  BOOST_TEST(s->oaOpenid == "oa1");
  BOOST_TEST(s->subscribed);
}

BOOST_AUTO_TEST_CASE(mark_read_by_type_leaves_the_other_types_unread) {
  Notifications& n = store->notifications();
  n.addEvent(event("e1", "u1", "chat"));
  n.addEvent(event("e2", "u1", "chat"));
  n.addEvent(event("e3", "u1", "invitation"));
  n.addEvent(event("e4", "u2", "chat"));
  BOOST_TEST(n.markRead("u1", {"chat"}, 5'000) == 2);
  auto s = n.unreadSummary("u1");
  BOOST_REQUIRE(s);
  BOOST_TEST(countOf(*s, "chat") == 0);
  BOOST_TEST(countOf(*s, "invitation") == 1);
  BOOST_TEST(n.unreadSummary("u2").has_value());
  BOOST_TEST(n.markRead("u1", {}, 6'000) == 1);
  BOOST_TEST(!n.unreadSummary("u1").has_value());
  BOOST_TEST(n.markRead("u1", {}, 7'000) == 0);
}

BOOST_AUTO_TEST_CASE(unread_pages_walk_accounts_in_unionid_order_with_follower_status) {
  Notifications& n = store->notifications();
  store->accounts().upsertFollowers({{"oaB", "uB", true}, {"oaC", "uC", false}}, 1);
  for (const char* u : {"uD", "uB", "uA", "uC"}) n.addEvent(event(std::string("e") + u, u, "chat"));
  n.addEvent(event("eB2", "uB", "invitation"));
  auto first = n.unreadPage("", 2);
  BOOST_REQUIRE(first.size() == 2u);
  BOOST_TEST(first[0].unionid == "uA");
  BOOST_TEST(first[0].oaOpenid.empty());
  BOOST_TEST(first[1].unionid == "uB");
  BOOST_TEST(first[1].oaOpenid == "oaB");
  BOOST_TEST(first[1].subscribed);
  BOOST_TEST(first[1].counts.size() == 2u);
  auto second = n.unreadPage(first.back().unionid, 2);
  BOOST_REQUIRE(second.size() == 2u);
  BOOST_TEST(second[0].unionid == "uC");
  BOOST_TEST(!second[0].subscribed);
  BOOST_TEST(second[1].unionid == "uD");
  BOOST_TEST(n.unreadPage("uD", 2).empty());
}

BOOST_AUTO_TEST_CASE(the_same_idempotency_key_returns_the_same_message) {
  Notifications& n = store->notifications();
  auto a = n.enqueue(message("k1"), 1'000);
  auto b = n.enqueue(message("k1", "oaOther"), 2'000);
  auto c = n.enqueue(message("k2"), 2'000);
  BOOST_TEST(a.created);
  BOOST_TEST(!b.created);
  BOOST_TEST(b.id == a.id);
  BOOST_TEST(c.id != a.id);
  auto stored = n.message(a.id);
  BOOST_REQUIRE(stored);
  BOOST_TEST(stored->touser == "oaUser");
  BOOST_TEST((stored->state == OutboxState::Pending));
  BOOST_TEST(*stored->dueAtMs == 1'000);
  BOOST_TEST(n.enqueueMany({message("k2"), message("k3"), message("k4")}, 3'000) == 2);
  BOOST_TEST(!n.message(999'999).has_value());
}

BOOST_AUTO_TEST_CASE(claims_take_due_messages_oldest_first_and_only_once) {
  Notifications& n = store->notifications();
  n.enqueue(message("late"), 5'000);
  n.enqueue(message("early"), 1'000);
  n.enqueue(message("future"), 50'000);
  auto first = n.claim("ownerA", 1, 10'000, 5'000);
  BOOST_REQUIRE(first.size() == 1u);
  BOOST_TEST(first[0].idempotencyKey == "early");
  BOOST_TEST((first[0].state == OutboxState::Sending));
  BOOST_TEST(first[0].attempts == 1);
  BOOST_TEST(first[0].claimedBy == "ownerA");
  BOOST_TEST(!first[0].dueAtMs.has_value());
  auto rest = n.claim("ownerB", 10, 10'000, 5'000);
  BOOST_REQUIRE(rest.size() == 1u);
  BOOST_TEST(rest[0].idempotencyKey == "late");
  BOOST_TEST(n.claim("ownerC", 10, 10'000, 5'000).empty());
  BOOST_TEST(*n.nextDueMs() == 50'000);
}

BOOST_AUTO_TEST_CASE(only_the_claimer_records_the_outcome) {
  Notifications& n = store->notifications();
  auto id = n.enqueue(message("k"), 1'000).id;
  n.claim("ownerA", 1, 1'000, 5'000);
  BOOST_TEST(n.markSent({{id, 3'000'000'000'000'000'001}}, "ownerB", 2'000) == 0);
  BOOST_TEST(!n.markFailed(id, "ownerB", 40003, "invalid openid", 2'000));
  BOOST_TEST(n.markSent({{id, 3'000'000'000'000'000'001}}, "ownerA", 2'000) == 1);
  auto sent = n.message(id);
  BOOST_TEST((sent->state == OutboxState::Sent));
  BOOST_TEST(sent->msgid == 3'000'000'000'000'000'001);
  BOOST_TEST(sent->sentAtMs == 2'000);
  BOOST_TEST(n.markSent({{id, 5}}, "ownerA", 3'000) == 0);
  BOOST_TEST(n.message(id)->msgid == 3'000'000'000'000'000'001);
}

BOOST_AUTO_TEST_CASE(failed_messages_keep_their_errcode_and_are_never_claimed_again) {
  Notifications& n = store->notifications();
  auto id = n.enqueue(message("k"), 1'000).id;
  n.claim("o", 1, 1'000, 5'000);
  BOOST_TEST(n.markFailed(id, "o", 40037, "invalid template_id", 2'000));
  auto failed = n.message(id);
  BOOST_TEST((failed->state == OutboxState::Failed));
  BOOST_TEST(failed->errcode == 40037);
  BOOST_TEST(failed->error == "invalid template_id");
  BOOST_TEST(n.claim("o", 10, 99'000'000, 5'000).empty());
}

BOOST_AUTO_TEST_CASE(retry_later_makes_a_message_due_again_with_its_error) {
  Notifications& n = store->notifications();
  auto id = n.enqueue(message("k"), 1'000).id;
  n.claim("o", 1, 1'000, 5'000);
  BOOST_TEST(n.retryLater(id, "o", SendRetry{4'000, -1, "system busy", false, false}, 1'500));
  auto waiting = n.message(id);
  BOOST_TEST((waiting->state == OutboxState::Pending));
  BOOST_TEST(*waiting->dueAtMs == 4'000);
  BOOST_TEST(waiting->errcode == -1);
  BOOST_TEST(waiting->ambiguousSinceMs == 0);
  BOOST_TEST(n.claim("o", 1, 3'999, 5'000).empty());
  auto again = n.claim("o", 1, 4'000, 5'000);
  BOOST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].attempts == 2);
  // A paused send is refused before it reaches the platform: the attempt is given back.
  n.retryLater(id, "o", SendRetry{9'000, 45009, "quota", false, true}, 4'100);
  BOOST_TEST(n.message(id)->attempts == 1);
}

BOOST_AUTO_TEST_CASE(an_unanswered_attempt_opens_the_dedup_window_once) {
  Notifications& n = store->notifications();
  auto id = n.enqueue(message("k"), 1'000).id;
  n.claim("o", 1, 2'000, 5'000);
  n.retryLater(id, "o", SendRetry{3'000, 0, "timeout", true, false}, 2'500);
  BOOST_TEST(n.message(id)->ambiguousSinceMs == 2'000);
  n.claim("o", 1, 3'000, 5'000);
  n.retryLater(id, "o", SendRetry{4'000, 0, "timeout", true, false}, 3'500);
  BOOST_TEST(n.message(id)->ambiguousSinceMs == 2'000);
  // A definite refusal later keeps the window where the unanswered attempt opened it.
  n.claim("o", 1, 4'000, 5'000);
  n.retryLater(id, "o", SendRetry{5'000, -1, "busy", false, false}, 4'500);
  BOOST_TEST(n.message(id)->ambiguousSinceMs == 2'000);
}

BOOST_AUTO_TEST_CASE(claims_of_a_dead_sender_become_unknown_and_are_resent_in_the_window) {
  Notifications& n = store->notifications();
  auto id = n.enqueue(message("k"), 1'000).id;
  n.claim("dead", 1, 1'000, 5'000);
  BOOST_TEST(n.recoverStale(5'999) == 0);
  BOOST_TEST(n.recoverStale(6'001) == 1);
  auto unknown = n.message(id);
  BOOST_TEST((unknown->state == OutboxState::Unknown));
  BOOST_TEST(unknown->ambiguousSinceMs == 1'000);
  BOOST_TEST(*unknown->dueAtMs == 6'001);
  BOOST_TEST(!n.markFailed(id, "dead", 1, "late", 6'100));
  auto resent = n.claim("alive", 10, 6'100, 5'000);
  BOOST_REQUIRE(resent.size() == 1u);
  BOOST_TEST(resent[0].id == id);
  BOOST_TEST(resent[0].attempts == 2);
  BOOST_TEST(n.markSent({{id, 77}}, "alive", 6'200) == 1);
}

BOOST_AUTO_TEST_CASE(renewed_claims_are_not_recovered_but_forgotten_ones_are) {
  Notifications& n = store->notifications();
  auto id = n.enqueue(message("k"), 1'000).id;
  n.claim("busy", 1, 1'000, 5'000);         // claim_until 6'000
  n.extendClaims("busy", 9'000, 4'000, 0);  // not near its end yet: unchanged
  BOOST_TEST(n.recoverStale(6'001) == 1);
  n.claim("busy", 1, 7'000, 5'000);               // claimed again: until 12'000
  n.extendClaims("busy", 20'000, 13'000, 7'000);  // near its end: renewed to 20'000
  BOOST_TEST(n.recoverStale(12'001) == 0);
  BOOST_TEST((n.message(id)->state == OutboxState::Sending));
  n.extendClaims("busy", 30'000, 21'000, 8'000);  // made at 7'000: too old, left to expire
  BOOST_TEST(n.recoverStale(20'001) == 1);
}

BOOST_AUTO_TEST_CASE(depth_counts_messages_by_state) {
  Notifications& n = store->notifications();
  for (int i = 0; i < 5; ++i) n.enqueue(message("k" + std::to_string(i)), 1'000);
  auto claimed = n.claim("o", 3, 1'000, 5'000);
  n.markSent({{claimed[0].id, 1}}, "o", 1'100);
  n.markFailed(claimed[1].id, "o", 40003, "", 1'100);
  auto depth = n.depthByState();
  BOOST_TEST(depth[OutboxState::Pending] == 2);
  BOOST_TEST(depth[OutboxState::Sending] == 1);
  BOOST_TEST(depth[OutboxState::Sent] == 1);
  BOOST_TEST(depth[OutboxState::Failed] == 1);
  BOOST_TEST(depth.count(OutboxState::Unknown) == 0u);
}

BOOST_AUTO_TEST_CASE(a_send_pause_is_shared_and_never_shortened) {
  Notifications& n = store->notifications();
  BOOST_TEST(!n.sendsPausedUntil("template", 1'000).has_value());
  n.pauseSends("template", 50'000, "45009", 1'000);
  n.pauseSends("template", 40'000, "45009 again", 2'000);
  auto other = openStore(settings, wallClock());
  BOOST_TEST(*other->notifications().sendsPausedUntil("template", 3'000) == 50'000);
  BOOST_TEST(!n.sendsPausedUntil("template", 50'000).has_value());
  BOOST_TEST(!n.sendsPausedUntil("subscribe", 3'000).has_value());
}

BOOST_AUTO_TEST_CASE(a_digest_run_is_opened_once_per_key_and_counts_its_messages) {
  Notifications& n = store->notifications();
  BOOST_TEST(!n.latestDigestRun().has_value());
  auto run = n.openDigestRun("cron:1000", 1'000);
  BOOST_TEST(run.created);
  BOOST_TEST(!run.enqueued);
  auto again = n.openDigestRun("cron:1000", 2'000);
  BOOST_TEST(!again.created);
  BOOST_TEST(again.id == run.id);
  BOOST_TEST(again.startedAtMs == 1'000);
  auto m1 = message(digestMessageKey(run.id, "u1"));
  m1.digestRun = run.id;
  auto m2 = message(digestMessageKey(run.id, "u2"));
  m2.digestRun = run.id;
  // Run 11's keys start like run 1's: they must not count as run 1's.
  auto stranger = message(digestMessageKey(run.id * 10 + 1, "u3"));
  n.enqueueMany({m1, m2, message("direct"), stranger}, 1'000);
  BOOST_TEST(n.openMessagesOfRun(run.id) == 2);
  n.finishDigestRun(run.id, 5, 3, 3'000);
  auto done = n.latestDigestRun();
  BOOST_REQUIRE(done);
  BOOST_TEST(done->enqueued);
  BOOST_TEST(done->accounts == 5);
  BOOST_TEST(done->messages == 2);
  BOOST_TEST(done->skipped == 3);
  auto claimed = n.claim("o", 10, 1'000, 5'000);
  for (const auto& m : claimed) n.markSent({{m.id, 1}}, "o", 1'100);
  BOOST_TEST(claimed.size() == 4u);
  BOOST_TEST(n.openMessagesOfRun(run.id) == 0);
}

// Four processes claim from one outbox at once, in small batches, until it is empty. Every
// message must be claimed by exactly one of them.
BOOST_AUTO_TEST_CASE(processes_claiming_together_never_claim_the_same_message) {
  constexpr int kMessages = 300;
  constexpr int kProcesses = 4;
  std::vector<NewMessage> batch;
  for (int i = 0; i < kMessages; ++i) batch.push_back(message("m" + std::to_string(i)));
  store->notifications().enqueueMany(batch, 1'000);
  auto dir = std::filesystem::temp_directory_path() / ("wxb-claim-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  bool ok = runInProcesses(kProcesses, [&](int index) {
    auto own = openStore(settings, wallClock());
    std::ofstream log(dir / std::to_string(index));
    std::string owner = "p" + std::to_string(index);
    for (;;) {
      auto claimed = own->notifications().claim(owner, 7, 2'000, 60'000);
      if (claimed.empty()) return 0;
      for (const auto& m : claimed) {
        log << m.id << "\n";
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // "sending" it
        own->notifications().markSent({{m.id, m.id}}, owner, 2'000);
      }
    }
  });
  BOOST_REQUIRE(ok);
  std::multiset<int64_t> claimed;
  std::set<int> claimers;
  for (int i = 0; i < kProcesses; ++i) {
    std::ifstream in(dir / std::to_string(i));
    for (int64_t id; in >> id;) {
      claimed.insert(id);
      claimers.insert(i);
    }
  }
  std::set<int64_t> distinct(claimed.begin(), claimed.end());
  BOOST_TEST(claimed.size() == static_cast<size_t>(kMessages));
  BOOST_TEST(distinct.size() == static_cast<size_t>(kMessages));
  BOOST_TEST(claimers.size() > 1u);
  BOOST_TEST(store->notifications().depthByState()[OutboxState::Sent] == kMessages);
  std::filesystem::remove_all(dir);
}

// Error text longer than its column is cut by characters on both backends: a Chinese error of
// three-byte characters would be split mid-character by a byte cut, which MariaDB rejects.
BOOST_AUTO_TEST_CASE(long_error_text_is_cut_by_characters_on_both_backends) {
  Notifications& n = store->notifications();
  int64_t id = n.enqueue(message("k-long"), 1'000).id;
  BOOST_REQUIRE(n.claim("o", 10, 1'000, 60'000).size() == 1u);
  std::string error;
  for (int i = 0; i < 300; ++i) error += "错误";  // 600 characters, 1,800 bytes
  BOOST_TEST(n.markFailed(id, "o", 40003, error, 2'000));
  auto stored = n.message(id);
  BOOST_REQUIRE(stored);
  BOOST_TEST(stored->error.size() == 500u * 3);
  BOOST_TEST(error.starts_with(stored->error));
}

// Error text that is not UTF-8 (a platform's raw bytes quoted by a parse error) is stored on
// both backends, each stray byte as U+FFFD: MariaDB would refuse it (1366), and the sender
// could then not record the outcome at all.
BOOST_AUTO_TEST_CASE(error_text_that_is_not_utf8_is_stored_as_valid_text_on_both_backends) {
  Notifications& n = store->notifications();
  int64_t id = n.enqueue(message("k-latin1"), 1'000).id;
  BOOST_REQUIRE(n.claim("o", 10, 1'000, 60'000).size() == 1u);
  BOOST_TEST(n.markFailed(id, "o", -1, "bad response: last read: '\"caf\xe9'", 2'000));
  auto stored = n.message(id);
  BOOST_REQUIRE(stored);
  BOOST_TEST(stored->error == "bad response: last read: '\"caf\xef\xbf\xbd'");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
