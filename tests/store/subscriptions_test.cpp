// Store contract: the grant ledger of subscribe messages (store/subscriptions/subscriptions.h) and
// the outbox's channels - a grant spent with the claimed message's channel in one transaction,
// once across processes; refunds, zeroing, send classes, no_channel and daily send counts. Runs
// unchanged on SQLite and MariaDB.
#include "store/subscriptions/subscriptions.h"

#include <boost/test/unit_test.hpp>

#include "bridge/metrics/notify_metrics.h"
#include "notify/ledger_updates.h"
#include "store/open_store.h"
#include "support/store_fixture.h"
#include "support/utc_ms.h"
#include "wechat/china_day.h"

namespace wxb::test {

namespace {

const std::string kTemplate = "TPL_ORDER";

// Adds `n` grants to (mp, openid, kTemplate) and records the answer at atMs.
GrantRecord grant(Subscriptions& s, const std::string& openid, int n, int64_t atMs = 1'000) {
  return s.change(
      "mp", openid, kTemplate,
      [&](GrantRecord& r) {
        r.grants += n;
        r.lastAnswer = "accept";
        r.lastAnswerAtMs = atMs;
      },
      atMs);
}

// A subscribe-message popup of `openid` at createTime (Unix s), as the decoder makes it.
PushEvent popup(const std::string& openid, int64_t createTime, const std::string& status) {
  PushEvent push;
  push.header = PushHeader{"gh_mp", openid, createTime, "event"};
  push.event = "subscribe_msg_popup_event";
  push.body = SubscribePopupEvent{{{kTemplate, status, std::nullopt}}};
  return push;
}

const GrantKey mpA{"mp", "mpA", kTemplate};

// recordReport(), the records it stored (its answer is theirs).
std::vector<GrantRecord> reported(Subscriptions& s, GrantSource counted, const std::string& openid,
                                  const std::vector<TemplateAnswer>& answers, int64_t atMs,
                                  const std::string& reportId = "") {
  std::vector<GrantRecord> stored;
  recordReport(
      s, counted, openid, reportId, answers,
      [&](const std::vector<GrantRecord>& records) {
        stored = records;
        return "grants " + std::to_string(records.empty() ? -1 : records[0].grants);
      },
      atMs);
  return stored;
}

NewMessage subscribeMessage(const std::string& key, int sendClass = 0) {
  NewMessage m{key, "uUser", "", "order", R"({"forms":[]})", 0};
  m.channel = "";
  m.sendClass = sendClass;
  return m;
}

}  // namespace

// The fixture, plus a push of the mini program's applied as /wechat/callback/mp applies it.
struct LedgerFixture : StoreFixture {
  // A new subscribe message claimed by `owner` at 2'000 (a 5 s claim) with the one grant of mpA
  // spent for it; its id.
  int64_t spentBy(const std::string& owner) {
    grant(store->subscriptions(), "mpA", 1);
    const int64_t id = store->notifications().enqueue(subscribeMessage("k1"), 1'000).id;
    BOOST_REQUIRE(store->notifications().claim(owner, 1, 2'000, 5'000).size() == 1u);
    BOOST_REQUIRE(store->subscriptions().take(mpA, id, owner, "mp_subscribe", 2'000));
    return id;
  }
  bool pushed(GrantSource counted, const PushEvent& push) {
    return store->callback().recordGrants(pushDedupKey(push), pushKindName(push),
                                          grantUpdatesOf(push, kMpBook, counted),
                                          push.header.createTime * 1000);
  }
};

BOOST_FIXTURE_TEST_SUITE(store_subscriptions, LedgerFixture)

BOOST_AUTO_TEST_CASE(answers_are_kept_per_user_and_template) {
  Subscriptions& s = store->subscriptions();
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  GrantRecord r = grant(s, "mpA", 2, 5'000);
  BOOST_TEST(r.grants == 2);
  s.change(
      "mp", "mpA", "TPL_OTHER", [](GrantRecord& g) { g.lastAnswer = "reject"; }, 6'000);
  grant(s, "mpB", 1);
  auto records = s.ofUser("mp", "mpA");
  BOOST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].templateId == kTemplate);
  BOOST_TEST(records[0].grants == 2);
  BOOST_TEST(records[0].lastAnswer == "accept");
  BOOST_TEST(records[0].lastAnswerAtMs == 5'000);
  BOOST_TEST(records[1].templateId == "TPL_OTHER");
  BOOST_TEST(records[1].grants == 0);
  BOOST_TEST(records[1].lastAnswer == "reject");
  BOOST_TEST(s.ofUser("oa", "mpA").empty());
  BOOST_TEST(s.grants("mp", "mpB", kTemplate) == 1);
}

BOOST_AUTO_TEST_CASE(one_grant_pays_for_one_claimed_message) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  grant(s, "mpA", 1);
  n.enqueue(subscribeMessage("k1"), 1'000);
  n.enqueue(subscribeMessage("k2"), 1'000);
  auto claimed = n.claim("owner", 10, 2'000, 5'000);
  BOOST_REQUIRE(claimed.size() == 2u);
  BOOST_TEST(s.take(mpA, claimed[0].id, "owner", "mp_subscribe", 2'000));
  BOOST_TEST(!s.take(mpA, claimed[1].id, "owner", "mp_subscribe", 2'000));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  BOOST_TEST(n.message(claimed[0].id)->channel == "mp_subscribe");
  BOOST_TEST(n.message(claimed[1].id)->channel == "");
}

BOOST_AUTO_TEST_CASE(a_lost_claim_spends_no_grant) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  grant(s, "mpA", 1);
  n.enqueue(subscribeMessage("k1"), 1'000);
  auto claimed = n.claim("owner", 1, 2'000, 5'000);
  BOOST_REQUIRE(claimed.size() == 1u);
  BOOST_TEST(!s.take(mpA, claimed[0].id, "someone else", "mp_subscribe", 2'000));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  BOOST_TEST(n.message(claimed[0].id)->channel == "");
}

BOOST_AUTO_TEST_CASE(processes_racing_for_two_grants_spend_exactly_two) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  grant(s, "mpA", 2);
  constexpr int kChildren = 6;
  std::vector<int64_t> ids;
  for (int i = 0; i < kChildren; ++i) {
    ids.push_back(n.enqueue(subscribeMessage("k" + std::to_string(i)), 1'000).id);
  }
  StoreSettings settings = this->settings;
  bool ok = runInProcesses(kChildren, [&](int i) {
    auto own = openStore(settings, wallClock());
    const std::string owner = "child" + std::to_string(i);
    auto claimed = own->notifications().claim(owner, 1, 2'000, 60'000);
    if (claimed.size() != 1) return 4;
    own->subscriptions().take(mpA, claimed[0].id, owner, "mp_subscribe", 2'000);
    return 0;
  });
  BOOST_TEST(ok);
  int paid = 0;
  for (int64_t id : ids) paid += n.message(id)->channel == "mp_subscribe" ? 1 : 0;
  BOOST_TEST(paid == 2);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

BOOST_AUTO_TEST_CASE(refunds_are_capped_and_a_ban_keeps_them_away) {
  Subscriptions& s = store->subscriptions();
  grant(s, "mpA", kMaxGrantsPerTemplate - 1);
  s.settle(mpA, GrantAfterSend::Refund, 3'000);
  s.settle(mpA, GrantAfterSend::Refund, 3'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == kMaxGrantsPerTemplate);
  s.settle(mpA, GrantAfterSend::Spent, 3'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == kMaxGrantsPerTemplate);
  s.change(
      "mp", "mpA", kTemplate,
      [](GrantRecord& r) {
        r.grants = 0;
        r.lastAnswer = "ban";
      },
      4'000);
  s.settle(mpA, GrantAfterSend::Refund, 5'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

BOOST_AUTO_TEST_CASE(zero_empties_the_entry_and_keeps_the_answer) {
  Subscriptions& s = store->subscriptions();
  grant(s, "mpA", 3, 1'500);
  s.settle(mpA, GrantAfterSend::Zero, 2'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  auto records = s.ofUser("mp", "mpA");
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].lastAnswer == "accept");
  BOOST_TEST(records[0].lastAnswerAtMs == 1'500);
  s.settle(GrantKey{"mp", "nobody", kTemplate}, GrantAfterSend::Zero, 2'000);
  BOOST_TEST(s.ofUser("mp", "nobody").empty());
}

BOOST_AUTO_TEST_CASE(claims_take_higher_send_classes_first) {
  Notifications& n = store->notifications();
  n.enqueue(subscribeMessage("digest", 3), 1'000);
  n.enqueue(subscribeMessage("realtime", 2), 2'000);
  n.enqueue(subscribeMessage("direct", 0), 3'000);
  auto first = n.claim("o", 2, 5'000, 5'000);
  BOOST_REQUIRE(first.size() == 2u);
  BOOST_TEST(first[0].idempotencyKey == "direct");
  BOOST_TEST(first[0].sendClass == 0);
  BOOST_TEST(first[1].idempotencyKey == "realtime");
  auto rest = n.claim("o", 2, 5'000, 5'000);
  BOOST_REQUIRE(rest.size() == 1u);
  BOOST_TEST(rest[0].idempotencyKey == "digest");
  BOOST_TEST(rest[0].sendClass == 3);
}

BOOST_AUTO_TEST_CASE(no_channel_is_final_and_says_why) {
  Notifications& n = store->notifications();
  int64_t id = n.enqueue(subscribeMessage("k"), 1'000).id;
  n.claim("o", 1, 1'000, 5'000);
  BOOST_TEST(!n.markNoChannel(id, "other", "x", 1'500));
  BOOST_TEST(n.markNoChannel(id, "o", "mp_subscribe: holds no grant for the template", 1'500));
  auto m = n.message(id);
  BOOST_REQUIRE(m);
  BOOST_TEST(outboxStateName(m->state) == "no_channel");
  BOOST_TEST(m->error == "mp_subscribe: holds no grant for the template");
  BOOST_TEST(n.depthByState()[OutboxState::NoChannel] == 1);
  BOOST_TEST(n.claim("o", 10, 99'000'000, 5'000).empty());
}

BOOST_AUTO_TEST_CASE(dead_senders_claims_recover_by_channel) {
  Notifications& n = store->notifications();
  int64_t unchosen = n.enqueue(subscribeMessage("unchosen"), 1'000).id;
  int64_t subscribe = n.enqueue(subscribeMessage("subscribe"), 1'000).id;
  int64_t templ = n.enqueue(NewMessage{"templ", "u", "oa", "t", "{}", 0}, 1'000).id;
  n.claim("dead", 10, 1'000, 5'000);
  BOOST_TEST(n.setChannel(subscribe, "dead", "mp_subscribe", "mp1", 1'000));
  BOOST_TEST(n.markCallStarted(subscribe, "dead", 1'000));
  BOOST_TEST(n.recoverStale(7'000) == 3);
  auto a = n.message(unchosen);
  BOOST_TEST(outboxStateName(a->state) == "pending");
  BOOST_TEST(a->attempts == 0);
  auto b = n.message(subscribe);
  BOOST_TEST(outboxStateName(b->state) == "unknown");
  BOOST_TEST(!b->dueAtMs.has_value());
  auto c = n.message(templ);
  BOOST_TEST(outboxStateName(c->state) == "unknown");
  BOOST_TEST(c->dueAtMs.value_or(0) == 7'000);
  BOOST_TEST(c->channel == "oa_template");
}

BOOST_AUTO_TEST_CASE(retry_can_leave_the_channel_to_choose_again) {
  Notifications& n = store->notifications();
  int64_t id = n.enqueue(subscribeMessage("k"), 1'000).id;
  n.claim("o", 1, 1'000, 5'000);
  n.setChannel(id, "o", "mp_subscribe", "mp1", 1'000);
  SendRetry retry{1'000, 43101, "no grant", false, true, true};
  BOOST_TEST(n.retryLater(id, "o", retry, 1'000));
  auto m = n.message(id);
  BOOST_TEST(m->channel == "");
  BOOST_TEST(m->attempts == 0);
  BOOST_TEST(outboxStateName(m->state) == "pending");
}

BOOST_AUTO_TEST_CASE(sends_are_counted_per_channel_and_day) {
  Notifications& n = store->notifications();
  n.countSends("2026-11-29", {{"oa_template", 3}, {"mp_subscribe", 1}});
  n.countSends("2026-11-29", {{"oa_template", 2}});
  n.countSends("2026-11-30", {{"oa_template", 7}});
  auto day = n.sendsOn("2026-11-29");
  BOOST_TEST(day["oa_template"] == 5);
  BOOST_TEST(day["mp_subscribe"] == 1);
  BOOST_TEST(day.count("oa_subscribe") == 0u);
  BOOST_TEST(n.sendsOn("2026-11-30")["oa_template"] == 7);
  BOOST_TEST(n.sendsOn("2026-12-01").empty());
}

BOOST_AUTO_TEST_CASE(reports_and_events_count_only_from_the_configured_source) {
  Subscriptions& s = store->subscriptions();
  const std::vector<TemplateAnswer> accept = {{kTemplate, SubscribeAnswer::Accept}};
  reported(s, GrantSource::Client, "mpA", accept, 1'000);
  auto records = reported(s, GrantSource::Client, "mpA", accept, 2'000);
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].grants == 2);
  BOOST_TEST(records[0].lastAnswer == "accept");
  // The client's accepts count: the event's is recorded (a new dedup row) but adds nothing.
  BOOST_TEST(pushed(GrantSource::Client, popup("mpA", 3, "accept")));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 2);
  BOOST_TEST(pushed(GrantSource::Events, popup("mpA", 4, "accept")));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 3);
  reported(s, GrantSource::Events, "mpA", accept, 5'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 3);
  PushEvent refused = popup("mpA", 6, "accept");
  refused.event = "subscribe_msg_sent_event";
  refused.body = SubscribeSentEvent{{{kTemplate, 9, 20001, "fail:user refuse"}}};
  BOOST_TEST(pushed(GrantSource::Events, refused));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

BOOST_AUTO_TEST_CASE(a_push_repeated_three_times_counts_once) {
  Subscriptions& s = store->subscriptions();
  BOOST_TEST(pushed(GrantSource::Events, popup("mpA", 3, "accept")));
  BOOST_TEST(!pushed(GrantSource::Events, popup("mpA", 3, "accept")));
  BOOST_TEST(!pushed(GrantSource::Events, popup("mpA", 3, "accept")));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  // The same tap in the OA's book is another push (another ToUserName and book).
  PushEvent oa = popup("oaA", 3, "accept");
  oa.header.toUser = "gh_oa";
  BOOST_TEST(store->callback().recordGrants(
      pushDedupKey(oa), pushKindName(oa), grantUpdatesOf(oa, kOaBook, GrantSource::Events), 4'000));
  BOOST_TEST(s.grants("oa", "oaA", kTemplate) == 1);
  BOOST_TEST(s.grants("mp", "oaA", kTemplate) == 0);
}

BOOST_AUTO_TEST_CASE(a_ban_empties_the_entry_until_a_later_accept) {
  Subscriptions& s = store->subscriptions();
  reported(s, GrantSource::Client, "mpA", {{kTemplate, SubscribeAnswer::Accept}}, 1'000);
  PushEvent off = popup("mpA", 2, "reject");
  off.event = "subscribe_msg_change_event";
  off.body = SubscribeChangeEvent{{{kTemplate, "reject"}}};
  BOOST_TEST(pushed(GrantSource::Client, off));
  auto records = s.ofUser("mp", "mpA");
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].grants == 0);
  BOOST_TEST(records[0].lastAnswer == "ban");
  BOOST_TEST(records[0].lastAnswerAtMs == 2'000);
  reported(s, GrantSource::Client, "mpA", {{kTemplate, SubscribeAnswer::Accept}}, 3'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
}

// The grant is spent in its own transaction after the claim's, fenced by the claim (issue #15
// asks for "consumed atomically when a message is claimed"; docs/channels.md says why this is
// as safe). A sender that dies between the two has spent nothing: its claim is recovered as
// pending, another sender claims and spends the grant once, and the dead sender's late take -
// were it to come back - finds its claim gone and spends nothing.
BOOST_AUTO_TEST_CASE(a_crash_between_claim_and_take_neither_spends_twice_nor_loses_a_grant) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  grant(s, "mpA", 1);
  const int64_t id = n.enqueue(subscribeMessage("k1"), 1'000).id;
  BOOST_REQUIRE(n.claim("dead", 1, 2'000, 5'000).size() == 1u);
  // "dead" stops here. Its claim expires and is recovered: no channel was chosen, so the row
  // goes back to pending, not unknown.
  BOOST_TEST(n.recoverStale(8'000) == 1);
  BOOST_TEST(outboxStateName(n.message(id)->state) == "pending");
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  auto again = n.claim("alive", 1, 9'000, 5'000);
  BOOST_REQUIRE(again.size() == 1u);
  BOOST_TEST(s.take(mpA, id, "alive", "mp_subscribe", 9'000));
  BOOST_TEST(!s.take(mpA, id, "dead", "mp_subscribe", 9'000));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  BOOST_TEST(n.message(id)->channel == "mp_subscribe");
  // A refund after the send gives back exactly the one grant spent.
  BOOST_TEST(n.markCallStarted(id, "alive", 9'500));
  BOOST_TEST(n.markFailed(id, "alive", 47003, "refused", 10'000, GrantAfterSend::Refund));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
}

// kill -9 after the grant was spent and before the platform call (issue #15 gap 1): the
// call-started mark is missing, so the dead sender's claim goes back to pending - the attempt
// not counted, the channel to be chosen again - and its grant is given back in the same
// transaction. Another sender then spends it once.
BOOST_AUTO_TEST_CASE(a_dead_senders_claim_whose_call_never_started_gives_its_grant_back) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  const int64_t id = spentBy("dead");
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  // "dead" stops here, before markCallStarted.
  BOOST_TEST(n.recoverStale(6'000) == 0);  // its claim has not expired yet
  BOOST_TEST(n.recoverStale(8'000) == 1);
  auto m = n.message(id);
  BOOST_TEST(outboxStateName(m->state) == "pending");
  BOOST_TEST(m->dueAtMs.value_or(0) == 8'000);
  BOOST_TEST(m->attempts == 0);
  BOOST_TEST(m->channel == "");
  BOOST_TEST(m->error.find("before calling the platform") != std::string::npos, m->error);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  // Recovered once: a second pass gives nothing back again, and the dead sender, were it to come
  // back, may not start its call.
  BOOST_TEST(n.recoverStale(9'000) == 0);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  BOOST_TEST(!n.markCallStarted(id, "dead", 9'000));
  BOOST_REQUIRE(n.claim("alive", 1, 9'000, 5'000).size() == 1u);
  BOOST_TEST(s.take(mpA, id, "alive", "mp_subscribe", 9'000));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

// The MySQL pool runs a statement again on a fresh connection when the first run's answer was
// lost (store/db/mysql_pool.h), and MySQL counts changed rows: the repeat of the mark changes
// nothing. It must still read as marked - not as a lost claim, which would leave the message
// unknown and unsent (REVIEW6 F1). A mark at another time, or by another owner, is not taken for
// it.
BOOST_AUTO_TEST_CASE(a_call_started_mark_run_twice_still_holds_the_claim) {
  Notifications& n = store->notifications();
  const int64_t id = spentBy("alive");
  BOOST_TEST(n.markCallStarted(id, "alive", 2'100));
  BOOST_TEST(n.markCallStarted(id, "alive", 2'100));  // the pool's repeat
  BOOST_TEST(!n.markCallStarted(id, "other", 2'100));
  BOOST_TEST(n.markSent({{id, 12345}}, "alive", 2'200) == 1);
  BOOST_TEST(!n.markCallStarted(id, "alive", 2'100));  // sent: no longer a claim
}

// kill -9 after the call-started mark: the platform may have delivered it and a subscribe
// message has no client_msg_id, so the claim becomes unknown for good with its grant spent.
BOOST_AUTO_TEST_CASE(a_dead_senders_claim_whose_call_started_stays_unknown_with_its_grant_spent) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  const int64_t id = spentBy("dead");
  BOOST_REQUIRE(n.markCallStarted(id, "dead", 2'100));
  BOOST_TEST(n.recoverStale(8'000) == 1);
  auto m = n.message(id);
  BOOST_TEST(outboxStateName(m->state) == "unknown");
  BOOST_TEST(!m->dueAtMs.has_value());
  BOOST_TEST(m->channel == "mp_subscribe");
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

// The grant's settlement and the message's outcome are one transaction (issue #15 gap 2): a
// refund (47003, 40037, 41030 ...) or a zeroed entry (43101) commits with the new state, and a
// sender that lost its claim meanwhile changes neither.
BOOST_AUTO_TEST_CASE(a_settlement_commits_with_the_outcome_and_a_lost_claim_changes_neither) {
  Subscriptions& s = store->subscriptions();
  Notifications& n = store->notifications();
  grant(s, "mpA", 3);
  const int64_t a = n.enqueue(subscribeMessage("a"), 1'000).id;
  const int64_t b = n.enqueue(subscribeMessage("b"), 1'000).id;
  BOOST_REQUIRE(n.claim("o", 2, 2'000, 5'000).size() == 2u);
  BOOST_REQUIRE(s.take(mpA, a, "o", "mp_subscribe", 2'000));
  BOOST_REQUIRE(s.take(mpA, b, "o", "mp_subscribe", 2'000));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  // Another owner's outcome is refused, and its refund with it.
  BOOST_TEST(!n.markFailed(a, "other", 47003, "refused", 3'000, GrantAfterSend::Refund));
  BOOST_TEST(!n.retryLater(a, "other", SendRetry{3'000, -1, "busy", false, false, true}, 3'000,
                           GrantAfterSend::Refund));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  BOOST_TEST(outboxStateName(n.message(a)->state) == "sending");
  // The owner's: the refund and the retry together.
  BOOST_TEST(n.retryLater(a, "o", SendRetry{3'000, -1, "busy", false, false, true}, 3'000,
                          GrantAfterSend::Refund));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 2);
  BOOST_TEST(outboxStateName(n.message(a)->state) == "pending");
  BOOST_TEST(n.message(a)->channel == "");
  // 43101: the entry zeroed with the failure.
  BOOST_TEST(n.markFailed(b, "o", 43101, "no grant", 3'000, GrantAfterSend::Zero));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  BOOST_TEST(outboxStateName(n.message(b)->state) == "failed");
  // Settled once: the row no longer records a spent grant of a live claim.
  BOOST_TEST(!n.markFailed(b, "o", 43101, "no grant", 3'000, GrantAfterSend::Refund));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

// POST /v1/subscriptions with a report_id (issue #15 gap 3): the same report again - the
// backend's retry after a timeout - counts nothing and gets the first answer; the id is per
// mp_openid; without one every report counts; the retention purge forgets old ids.
BOOST_AUTO_TEST_CASE(a_report_with_an_id_counts_once_and_answers_as_the_first_time) {
  Subscriptions& s = store->subscriptions();
  const std::vector<TemplateAnswer> accept = {{kTemplate, SubscribeAnswer::Accept}};
  auto answer = [&](const std::string& openid, const std::string& id, int64_t at) {
    return recordReport(
        s, GrantSource::Client, openid, id, accept,
        [](const std::vector<GrantRecord>& r) { return "grants " + std::to_string(r[0].grants); },
        at);
  };
  BOOST_TEST(answer("mpA", "r1", 1'000) == "grants 1");
  BOOST_TEST(answer("mpA", "r1", 2'000) == "grants 1");
  BOOST_TEST(answer("mpA", "r1", 3'000) == "grants 1");
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
  BOOST_TEST(answer("mpB", "r1", 3'000) == "grants 1");  // another user's r1
  BOOST_TEST(answer("mpA", "r2", 4'000) == "grants 2");
  BOOST_TEST(answer("mpA", "", 5'000) == "grants 3");
  BOOST_TEST(answer("mpA", "", 5'000) == "grants 4");
  BOOST_TEST(s.purgeReportsBefore(3'500, 10) == 2);  // r1 of mpA and of mpB
  BOOST_TEST(s.purgeReportsBefore(3'500, 10) == 0);
  BOOST_TEST(answer("mpA", "r2", 6'000) == "grants 2");  // still known
  BOOST_TEST(answer("mpA", "r1", 6'000) == "grants 5");  // forgotten: counts again
}

// Two processes post the same report at once: one applies it, the other gets its answer.
BOOST_AUTO_TEST_CASE(the_same_report_from_two_processes_at_once_counts_once) {
  StoreSettings settings = this->settings;
  constexpr int kChildren = 4;
  bool ok = runInProcesses(kChildren, [&](int) {
    auto own = openStore(settings, wallClock());
    std::string first = recordReport(
        own->subscriptions(), GrantSource::Client, "mpA", "same-report",
        {{kTemplate, SubscribeAnswer::Accept}},
        [](const std::vector<GrantRecord>& r) { return "grants " + std::to_string(r[0].grants); },
        1'000);
    return first == "grants 1" ? 0 : 5;
  });
  BOOST_TEST(ok);
  BOOST_TEST(store->subscriptions().grants("mp", "mpA", kTemplate) == 1);
}

// wxbridge_channel_budget_used is one gauge per channel - today's count (China day), back to 0
// at China midnight - not one per channel and day, which kept every past day's series frozen
// for as long as the process ran (review 3 #12b).
BOOST_AUTO_TEST_CASE(the_budget_gauge_is_one_series_per_channel_for_the_current_china_day) {
  ManualClock clock(utcMs(2026, 11, 29, 12, 0));  // 20:00 in China
  Metrics metrics;
  describeNotifyMetrics(metrics, store->notifications(), clock, DailyBudgets{10, 20, 30});
  store->notifications().countSends(chinaDay(clock.nowMs()), {{"oa_template", 5}});
  std::string text = metrics.render();
  BOOST_TEST(
      text.find("wxbridge_channel_budget_used{channel=\"oa_template\"} 5\n") != std::string::npos,
      text);
  clock.set(utcMs(2026, 11, 29, 16, 30));  // 00:30 the next China day
  text = metrics.render();
  BOOST_TEST(
      text.find("wxbridge_channel_budget_used{channel=\"oa_template\"} 0\n") != std::string::npos,
      text);
  BOOST_TEST(text.find("day=") == std::string::npos, text);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
