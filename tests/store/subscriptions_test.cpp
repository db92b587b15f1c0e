// Store contract: the grant ledger of subscribe messages (store/subscriptions/subscriptions.h) and
// the outbox's channels - a grant spent with the claimed message's channel in one transaction,
// once across processes; refunds, zeroing, send classes, no_channel and daily send counts. Runs
// unchanged on SQLite and MariaDB.
#include "store/subscriptions/subscriptions.h"

#include <boost/test/unit_test.hpp>

#include "notify/ledger_updates.h"
#include "store/open_store.h"
#include "support/store_fixture.h"

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

NewMessage subscribeMessage(const std::string& key, int sendClass = 0) {
  NewMessage m{key, "uUser", "", "order", R"({"forms":[]})", 0};
  m.channel = "";
  m.sendClass = sendClass;
  return m;
}

}  // namespace

// The fixture, plus a push of the mini program's applied as /wechat/callback/mp applies it.
struct LedgerFixture : StoreFixture {
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
  BOOST_TEST(s.take("mp", "mpA", kTemplate, claimed[0].id, "owner", "mp_subscribe", 2'000));
  BOOST_TEST(!s.take("mp", "mpA", kTemplate, claimed[1].id, "owner", "mp_subscribe", 2'000));
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
  BOOST_TEST(!s.take("mp", "mpA", kTemplate, claimed[0].id, "someone else", "mp_subscribe", 2'000));
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
    own->subscriptions().take("mp", "mpA", kTemplate, claimed[0].id, owner, "mp_subscribe", 2'000);
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
  grant(s, "mpA", 1);
  s.refund("mp", "mpA", kTemplate, 2, 3'000);
  s.refund("mp", "mpA", kTemplate, 2, 3'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 2);
  s.change(
      "mp", "mpA", kTemplate,
      [](GrantRecord& r) {
        r.grants = 0;
        r.lastAnswer = "ban";
      },
      4'000);
  s.refund("mp", "mpA", kTemplate, 1000, 5'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
}

BOOST_AUTO_TEST_CASE(zero_empties_the_entry_and_keeps_the_answer) {
  Subscriptions& s = store->subscriptions();
  grant(s, "mpA", 3, 1'500);
  s.zero("mp", "mpA", kTemplate, 2'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  auto records = s.ofUser("mp", "mpA");
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].lastAnswer == "accept");
  BOOST_TEST(records[0].lastAnswerAtMs == 1'500);
  s.zero("mp", "nobody", kTemplate, 2'000);
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
  BOOST_TEST(n.setChannel(subscribe, "dead", "mp_subscribe", 1'000));
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
  n.setChannel(id, "o", "mp_subscribe", 1'000);
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
  recordReport(s, GrantSource::Client, "mpA", accept, 1'000);
  auto records = recordReport(s, GrantSource::Client, "mpA", accept, 2'000);
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].grants == 2);
  BOOST_TEST(records[0].lastAnswer == "accept");
  // The client's accepts count: the event's is recorded (a new dedup row) but adds nothing.
  BOOST_TEST(pushed(GrantSource::Client, popup("mpA", 3, "accept")));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 2);
  BOOST_TEST(pushed(GrantSource::Events, popup("mpA", 4, "accept")));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 3);
  recordReport(s, GrantSource::Events, "mpA", accept, 5'000);
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
  recordReport(s, GrantSource::Client, "mpA", {{kTemplate, SubscribeAnswer::Accept}}, 1'000);
  PushEvent off = popup("mpA", 2, "reject");
  off.event = "subscribe_msg_change_event";
  off.body = SubscribeChangeEvent{{{kTemplate, "reject"}}};
  BOOST_TEST(pushed(GrantSource::Client, off));
  auto records = s.ofUser("mp", "mpA");
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].grants == 0);
  BOOST_TEST(records[0].lastAnswer == "ban");
  BOOST_TEST(records[0].lastAnswerAtMs == 2'000);
  recordReport(s, GrantSource::Client, "mpA", {{kTemplate, SubscribeAnswer::Accept}}, 3'000);
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
  BOOST_TEST(s.take("mp", "mpA", kTemplate, id, "alive", "mp_subscribe", 9'000));
  BOOST_TEST(!s.take("mp", "mpA", kTemplate, id, "dead", "mp_subscribe", 9'000));
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 0);
  BOOST_TEST(n.message(id)->channel == "mp_subscribe");
  // A refund after the send gives back exactly the one grant spent.
  s.refund("mp", "mpA", kTemplate, kMaxGrantsPerTemplate, 10'000);
  BOOST_TEST(s.grants("mp", "mpA", kTemplate) == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
