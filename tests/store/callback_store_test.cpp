// Store contract of the event push (store/callback/callback_store.h): a push is recorded once
// by its dedup key - across processes - and applied in the same transaction (follow newest-wins
// by time, the refusing mark, the receipt on the outbox row with its msgid, the bind); the job
// queue's claims are exclusive and fenced; retention purges. Runs unchanged on SQLite and
// MariaDB.
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>

#include "store/open_store.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

std::string key(int n) {
  std::string k = std::to_string(n);
  return std::string(64 - k.size(), '0') + k;
}

PushEffects follow(const std::string& openid, bool subscribed, int64_t atMs) {
  PushEffects e;
  e.openid = openid;
  e.follow = FollowChange{subscribed, atMs};
  e.fetchUnionid = subscribed;
  e.atMs = atMs;
  return e;
}

PushEffects receipt(const std::string& openid, int64_t msgid, TemplateDelivery d, int64_t atMs) {
  PushEffects e;
  e.openid = openid;
  e.receipt = DeliveryReceipt{msgid, d, "", atMs};
  e.refusesTemplates = d == TemplateDelivery::Blocked;
  e.atMs = atMs;
  return e;
}

PushEffects scan(const std::string& openid, const std::string& scene, int64_t atMs) {
  PushEffects e;
  e.openid = openid;
  e.bindScene = scene;
  e.atMs = atMs;
  return e;
}

const std::string kScene = "wxbind_ABCDEFGHIJKLMNOPQRSTUVWX";

// Follower oa1 bound to MP user mp1 (who has no unionid) by a bind code, at 2 s.
void bindOa1ToMp1(CallbackStore& cb, Accounts& accounts) {
  accounts.recordMpUser("mp1", "");
  cb.addBindCode(BindCode{kScene, "mp1", 100'000, 0, ""}, 1'000);
  cb.record(key(1), "SCAN", scan("oa1", kScene, 2'000), 2'000);
}

// A sent outbox message with `msgid`; returns its id.
int64_t sentMessage(Notifications& n, const std::string& k, int64_t msgid) {
  int64_t id = n.enqueue(NewMessage{k, "u1", "oa1", "daily", "{}", 0}, 1'000).id;
  auto claimed = n.claim("sender", 10, 1'000, 60'000);
  BOOST_REQUIRE(claimed.size() == 1u);
  BOOST_REQUIRE(n.markSent({{id, msgid}}, "sender", 1'000) == 1);
  return id;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_callback, StoreFixture)

BOOST_AUTO_TEST_CASE(a_push_is_applied_once_by_its_key) {
  auto& cb = store->callback();
  auto first = cb.record(key(1), "subscribe", follow("oa1", true, 5'000), 10'000);
  BOOST_TEST(!first.duplicate);
  BOOST_TEST(first.jobs == 1);
  for (int i = 0; i < 2; ++i) {
    auto again = cb.record(key(1), "subscribe", follow("oa1", true, 5'000), 10'000);
    BOOST_TEST(again.duplicate);
    BOOST_TEST(again.jobs == 0);
  }
  BOOST_TEST(cb.jobDepth() == 1);
  auto account = store->accounts().findByOaOpenid("oa1");
  BOOST_REQUIRE(account);
  BOOST_TEST(account->subscribed);
  BOOST_TEST(account->syncedAtMs == 5'000);
}

BOOST_AUTO_TEST_CASE(follow_changes_are_newest_wins_by_event_time) {
  auto& cb = store->callback();
  cb.record(key(1), "unsubscribe", follow("oa1", false, 9'000), 10'000);
  cb.record(key(2), "subscribe", follow("oa1", true, 8'000), 10'000);  // older, arrives later
  BOOST_TEST(!store->accounts().findByOaOpenid("oa1")->subscribed);
  store->accounts().upsertFollowers({{"oa1", "", true}}, 8'500);  // a sync older than the event
  BOOST_TEST(!store->accounts().findByOaOpenid("oa1")->subscribed);
  cb.record(key(3), "subscribe", follow("oa1", true, 9'500), 10'000);
  BOOST_TEST(store->accounts().findByOaOpenid("oa1")->subscribed);
}

BOOST_AUTO_TEST_CASE(receipts_reach_the_outbox_row_with_their_msgid) {
  auto& cb = store->callback();
  int64_t delivered = sentMessage(store->notifications(), "m1", 101);
  int64_t blocked = sentMessage(store->notifications(), "m2", 102);
  auto r1 = cb.record(key(1), "TEMPLATESENDJOBFINISH",
                      receipt("oa1", 101, TemplateDelivery::Delivered, 7'000), 8'000);
  auto r2 = cb.record(key(2), "TEMPLATESENDJOBFINISH",
                      receipt("oa1", 102, TemplateDelivery::Blocked, 7'500), 8'000);
  BOOST_TEST((r1.receipt == ReceiptMatch::Matched));
  BOOST_TEST((r2.receipt == ReceiptMatch::Matched));
  BOOST_TEST(store->notifications().message(delivered)->delivery == "delivered");
  BOOST_TEST(store->notifications().message(delivered)->deliveryAtMs == 7'000);
  BOOST_TEST(store->notifications().message(blocked)->delivery == "blocked");
  auto counts = cb.deliveryCounts();
  BOOST_TEST(counts["delivered"] == 1);
  BOOST_TEST(counts["blocked"] == 1);
}

BOOST_AUTO_TEST_CASE(a_receipt_before_its_msgid_is_queued_and_applied_later) {
  auto& cb = store->callback();
  auto r = cb.record(key(1), "TEMPLATESENDJOBFINISH",
                     receipt("oa1", 303, TemplateDelivery::Failed, 7'000), 8'000);
  BOOST_TEST((r.receipt == ReceiptMatch::NotYet));
  BOOST_TEST(r.jobs == 1);
  auto jobs = cb.claimJobs("w", 10, 8'000, 30'000);
  BOOST_REQUIRE(jobs.size() == 1u);
  BOOST_TEST(jobs[0].kind == kJobReceipt);
  BOOST_TEST(jobs[0].payload == "303 failed 7000");
  DeliveryReceipt later{303, TemplateDelivery::Failed, "", 7'000};
  BOOST_TEST((cb.applyReceipt("oa1", later) == ReceiptMatch::NotYet));
  int64_t id = sentMessage(store->notifications(), "m3", 303);
  BOOST_TEST((cb.applyReceipt("oa1", later) == ReceiptMatch::Matched));
  BOOST_TEST(store->notifications().message(id)->delivery == "failed");
  BOOST_TEST((cb.applyReceipt("oa1", later) == ReceiptMatch::Matched),
             "a row already holding the receipt still matches it");
}

// The platform pushes a receipt from the message's recipient (usertest4 F9): one whose
// FromUserName is another openid than the row's touser changes neither the message nor the
// pusher's refusing mark - at once or when its row comes later - and is reported as such.
BOOST_AUTO_TEST_CASE(a_receipt_from_another_openid_than_the_recipient_changes_nothing) {
  auto& cb = store->callback();
  cb.record(key(1), "subscribe", follow("oa2", true, 1'000), 2'000);
  int64_t id = sentMessage(store->notifications(), "m1", 101);
  auto foreign = cb.record(key(2), "TEMPLATESENDJOBFINISH",
                           receipt("oa2", 101, TemplateDelivery::Blocked, 7'000), 8'000);
  BOOST_TEST((foreign.receipt == ReceiptMatch::OtherRecipient));
  BOOST_TEST(foreign.jobs == 0);
  BOOST_TEST(store->notifications().message(id)->delivery == "");
  BOOST_TEST(store->accounts().findByOaOpenid("oa2")->refusesTemplatesSinceMs == 0);
  BOOST_TEST(cb.deliveryCounts()["blocked"] == 0);

  auto early = cb.record(key(3), "TEMPLATESENDJOBFINISH",
                         receipt("oa2", 102, TemplateDelivery::Delivered, 7'000), 8'000);
  BOOST_TEST((early.receipt == ReceiptMatch::NotYet));
  int64_t later = sentMessage(store->notifications(), "m2", 102);
  DeliveryReceipt queued{102, TemplateDelivery::Delivered, "", 7'000};
  BOOST_TEST((cb.applyReceipt("oa2", queued) == ReceiptMatch::OtherRecipient));
  BOOST_TEST(store->notifications().message(later)->delivery == "");

  auto own = cb.record(key(4), "TEMPLATESENDJOBFINISH",
                       receipt("oa1", 101, TemplateDelivery::Delivered, 7'500), 8'000);
  BOOST_TEST((own.receipt == ReceiptMatch::Matched));
  BOOST_TEST(store->notifications().message(id)->delivery == "delivered");
}

// A message whose channel is chosen when it is sent records the openid it was sent to, which
// the receipt must come from: not the touser it was enqueued with.
BOOST_AUTO_TEST_CASE(a_receipt_must_come_from_the_openid_the_channel_was_sent_to) {
  auto& cb = store->callback();
  auto& n = store->notifications();
  NewMessage message{"auto1", "u1", "", "daily", "{}", 0};
  message.channel = "";
  int64_t id = n.enqueue(message, 1'000).id;
  BOOST_REQUIRE(n.claim("sender", 10, 1'000, 60'000).size() == 1u);
  BOOST_REQUIRE(n.setChannel(id, "sender", "oa_template", "oa7", 1'000));
  BOOST_REQUIRE(n.markSent({{id, 505}}, "sender", 1'000) == 1);
  BOOST_TEST(n.message(id)->touser == "oa7");
  auto r = cb.record(key(1), "TEMPLATESENDJOBFINISH",
                     receipt("oa7", 505, TemplateDelivery::Delivered, 7'000), 8'000);
  BOOST_TEST((r.receipt == ReceiptMatch::Matched));
  BOOST_TEST(n.message(id)->delivery == "delivered");
}

BOOST_AUTO_TEST_CASE(a_block_marks_the_follower_until_a_later_follow) {
  auto& cb = store->callback();
  cb.record(key(1), "subscribe", follow("oa1", true, 1'000), 2'000);
  cb.record(key(2), "TEMPLATESENDJOBFINISH", receipt("oa1", 9, TemplateDelivery::Blocked, 5'000),
            6'000);
  BOOST_TEST(store->accounts().findByOaOpenid("oa1")->refusesTemplatesSinceMs == 5'000);
  cb.record(key(3), "subscribe", follow("oa1", true, 4'000), 6'000);  // older: stays
  BOOST_TEST(store->accounts().findByOaOpenid("oa1")->refusesTemplatesSinceMs == 5'000);
  cb.record(key(4), "subscribe", follow("oa1", true, 6'000), 7'000);
  BOOST_TEST(store->accounts().findByOaOpenid("oa1")->refusesTemplatesSinceMs == 0);
}

// Pushes come out of order: the block and the follow are one last-writer-wins state by their
// event times, as follow and unfollow are. A block older than a known follow marks nobody; on
// a tie the follow wins, whichever came first.
BOOST_AUTO_TEST_CASE(a_block_older_than_a_later_follow_does_not_mark_the_follower) {
  auto& cb = store->callback();
  auto refusing = [&] { return store->accounts().findByOaOpenid("oa1")->refusesTemplatesSinceMs; };
  cb.record(key(1), "subscribe", follow("oa1", true, 6'000), 7'000);
  cb.record(key(2), "TEMPLATESENDJOBFINISH", receipt("oa1", 9, TemplateDelivery::Blocked, 5'000),
            7'000);
  BOOST_TEST(refusing() == 0);
  cb.record(key(3), "TEMPLATESENDJOBFINISH", receipt("oa1", 10, TemplateDelivery::Blocked, 6'000),
            7'000);
  BOOST_TEST(refusing() == 0);
  cb.record(key(4), "TEMPLATESENDJOBFINISH", receipt("oa1", 11, TemplateDelivery::Blocked, 8'000),
            9'000);
  BOOST_TEST(refusing() == 8'000);
  cb.record(key(5), "subscribe", follow("oa1", true, 7'000), 9'000);  // older than the block
  BOOST_TEST(refusing() == 8'000);
}

// user/info brings the unionid of a follower known by openid alone, and it is merged with the
// mini-program user of that unionid (the sync's upsert, as the CallbackWorker calls it): the
// merged account keeps the follower's refusing mark and the time of its last follow.
BOOST_AUTO_TEST_CASE(a_unionid_merge_keeps_the_refusing_mark_and_the_last_follow) {
  auto& cb = store->callback();
  auto& accounts = store->accounts();
  accounts.recordMpUser("mp1", "u1");
  accounts.recordMpUser("mp2", "u2");
  cb.record(key(1), "subscribe", follow("oa1", true, 1'000), 2'000);
  cb.record(key(2), "TEMPLATESENDJOBFINISH", receipt("oa1", 9, TemplateDelivery::Blocked, 5'000),
            6'000);
  cb.record(key(3), "subscribe", follow("oa2", true, 1'000), 2'000);
  cb.record(key(4), "TEMPLATESENDJOBFINISH", receipt("oa2", 8, TemplateDelivery::Blocked, 5'000),
            6'000);
  cb.record(key(5), "subscribe", follow("oa2", true, 6'000), 7'000);  // oa2 follows again
  BOOST_REQUIRE(accounts.count() == 4);
  accounts.upsertFollowers({{"oa1", "u1", true}, {"oa2", "u2", true}}, 7'000);
  BOOST_TEST(accounts.count() == 2);
  auto one = accounts.findByUnionid("u1");
  BOOST_REQUIRE(one);
  BOOST_TEST(one->oaOpenid == "oa1");
  BOOST_TEST(one->mpOpenid == "mp1");
  BOOST_TEST(one->refusesTemplatesSinceMs == 5'000);
  // oa2's follow at 6 s came along: a block from before it, arriving now, marks nobody.
  cb.record(key(6), "TEMPLATESENDJOBFINISH", receipt("oa2", 7, TemplateDelivery::Blocked, 5'500),
            8'000);
  auto two = accounts.findByUnionid("u2");
  BOOST_REQUIRE(two);
  BOOST_TEST(two->mpOpenid == "mp2");
  BOOST_TEST(two->refusesTemplatesSinceMs == 0);
}

// A sync page fetched before an unfollow and written after it (PageWorkers stamps a page's
// start) must not undo the unfollow, merge or no merge: the merged row keeps the follower's
// subscribed state and its time, newest wins (REVIEW4 R1a). CallbackWorker::linkUnionid writes
// the state it read before user/info the same way.
BOOST_AUTO_TEST_CASE(a_unionid_merge_keeps_a_newer_unfollow) {
  auto& cb = store->callback();
  auto& accounts = store->accounts();
  accounts.recordMpUser("mp1", "u1");
  cb.record(key(1), "subscribe", follow("oa1", true, 1'000), 1'000);
  cb.record(key(2), "unsubscribe", follow("oa1", false, 5'000), 5'000);
  accounts.upsertFollowers({{"oa1", "u1", true}}, 3'000);
  BOOST_TEST(accounts.count() == 1);
  auto merged = accounts.findByUnionid("u1");
  BOOST_REQUIRE(merged);
  BOOST_TEST(merged->oaOpenid == "oa1");
  BOOST_TEST(merged->mpOpenid == "mp1");
  BOOST_TEST(!merged->subscribed);
  BOOST_TEST(merged->syncedAtMs == 5'000);
  accounts.upsertFollowers({{"oa1", "u1", true}}, 6'000);  // a newer sync still wins
  BOOST_TEST(accounts.findByUnionid("u1")->subscribed);
}

// A follower bound by a bind code while it had no unionid keeps its bind when another follower
// of the same chunk forces a merge; its own row needs none (REVIEW4 R1b).
BOOST_AUTO_TEST_CASE(a_merge_in_the_same_chunk_keeps_another_followers_bind) {
  auto& cb = store->callback();
  auto& accounts = store->accounts();
  bindOa1ToMp1(cb, accounts);
  accounts.recordMpUser("mp2", "u2");
  cb.record(key(2), "subscribe", follow("oa2", true, 2'000), 2'000);
  accounts.upsertFollowers({{"oa1", "u1", true}, {"oa2", "u2", true}}, 3'000);
  auto one = accounts.findByOaOpenid("oa1");
  BOOST_REQUIRE(one);
  BOOST_TEST(one->unionid == "u1");
  BOOST_TEST(one->mpOpenid == "mp1");
  BOOST_TEST(accounts.findByUnionid("u2")->oaOpenid == "oa2");
  BOOST_TEST(accounts.count() == 2);
}

// A follower bound by a bind code to one MP user, whose unionid (later) names another: the
// unionid wins (the platform's word; a code only says who scanned it), and the bound MP openid
// stays an MP user without follower (docs/sync.md "Merging accounts").
BOOST_AUTO_TEST_CASE(a_merge_where_the_bind_and_the_unionid_disagree_keeps_the_unionids_mp_user) {
  auto& cb = store->callback();
  auto& accounts = store->accounts();
  bindOa1ToMp1(cb, accounts);
  accounts.recordMpUser("mp2", "u2");
  accounts.upsertFollowers({{"oa1", "u2", true}}, 3'000);
  auto merged = accounts.findByUnionid("u2");
  BOOST_REQUIRE(merged);
  BOOST_TEST(merged->oaOpenid == "oa1");
  BOOST_TEST(merged->mpOpenid == "mp2");
  BOOST_TEST(merged->subscribed);
  BOOST_TEST(accounts.count() == 2);  // the merged row and mp1 on its own
  accounts.recordMpUser("mp1", "");   // still known: nothing to add
  BOOST_TEST(accounts.count() == 2);
}

// The MP user a bind code bound to a follower known by openid alone logs in with its unionid
// (POST /v1/mp/sessions): the follower's row takes the unionid. It used to hit the mp_openid
// unique key (SQLite: an error, a 500; MariaDB: the unionid silently dropped).
BOOST_AUTO_TEST_CASE(a_bound_mp_user_logging_in_with_a_unionid_gives_it_to_its_follower) {
  auto& accounts = store->accounts();
  bindOa1ToMp1(store->callback(), accounts);
  BOOST_REQUIRE(accounts.findByOaOpenid("oa1").value().mpOpenid == "mp1");
  accounts.recordMpUser("mp1", "u1");
  accounts.recordMpUser("mp1", "u1");  // each login again: no change
  BOOST_TEST(accounts.count() == 1);
  auto linked = accounts.findByUnionid("u1");
  BOOST_REQUIRE(linked);
  BOOST_TEST(linked->oaOpenid == "oa1");
  BOOST_TEST(linked->mpOpenid == "mp1");
  BOOST_TEST(linked->subscribed);
}

// The same login where a row of that unionid exists already (docs/sync.md "Merging
// accounts"): one without a follower (an earlier login reported another MP openid) gives way
// to the bound follower, its MP openid staying an MP user of its own; one with a follower of
// its own takes the MP user - the unionid wins over the bind code - and the bound follower
// stays a follower known by its openid.
BOOST_AUTO_TEST_CASE(a_bound_mp_user_logging_in_with_a_held_unionid_follows_the_merge_rules) {
  auto& cb = store->callback();
  auto& accounts = store->accounts();
  bindOa1ToMp1(cb, accounts);
  accounts.recordMpUser("mpOld", "u1");
  BOOST_REQUIRE(accounts.count() == 2);
  accounts.recordMpUser("mp1", "u1");
  auto merged = accounts.findByUnionid("u1");
  BOOST_REQUIRE(merged);
  BOOST_TEST(merged->oaOpenid == "oa1");
  BOOST_TEST(merged->mpOpenid == "mp1");
  BOOST_TEST(accounts.count() == 2);  // the merged row and mpOld on its own
  accounts.recordMpUser("mpOld", "");
  BOOST_TEST(accounts.count() == 2);

  const std::string scene = "wxbind_BCDEFGHIJKLMNOPQRSTUVWXY";
  accounts.upsertFollowers({{"oa2", "u2", true}}, 1'000);
  accounts.recordMpUser("mp3", "");
  cb.addBindCode(BindCode{scene, "mp3", 100'000, 0, ""}, 1'000);
  BOOST_REQUIRE(
      (cb.record(key(2), "SCAN", scan("oa3", scene, 2'000), 2'000).bind == BindOutcome::Bound));
  accounts.recordMpUser("mp3", "u2");
  BOOST_TEST(accounts.count() == 4);
  auto owner = accounts.findByUnionid("u2");
  BOOST_REQUIRE(owner);
  BOOST_TEST(owner->oaOpenid == "oa2");
  BOOST_TEST(owner->mpOpenid == "mp3");
  auto bound = accounts.findByOaOpenid("oa3");
  BOOST_REQUIRE(bound);
  BOOST_TEST(bound->unionid == "");
  BOOST_TEST(bound->mpOpenid == "");
}

// A follower bound by a code to one MP user whose MP user by unionid then logs in: the unionid
// wins, and the code's MP user stays an MP user without follower - nothing of it is lost.
BOOST_AUTO_TEST_CASE(a_login_by_unionid_keeps_the_mp_user_a_bind_code_had_put_there) {
  auto& cb = store->callback();
  auto& accounts = store->accounts();
  accounts.upsertFollowers({{"oa1", "u1", true}}, 1'000);
  accounts.recordMpUser("mpCode", "");
  cb.addBindCode(BindCode{kScene, "mpCode", 100'000, 0, ""}, 1'000);
  BOOST_REQUIRE(
      (cb.record(key(1), "SCAN", scan("oa1", kScene, 2'000), 2'000).bind == BindOutcome::Bound));
  BOOST_REQUIRE(accounts.count() == 1);
  accounts.recordMpUser("mp1", "u1");
  BOOST_TEST(accounts.findByUnionid("u1").value().mpOpenid == "mp1");
  BOOST_TEST(accounts.count() == 2);  // mpCode on its own
  accounts.recordMpUser("mpCode", "");
  BOOST_TEST(accounts.count() == 2);
}

BOOST_AUTO_TEST_CASE(a_refusing_follower_gets_no_digest_until_it_follows_again) {
  auto& cb = store->callback();
  store->accounts().upsertFollowers({{"oa1", "u1", true}}, 1'000);
  store->notifications().addEvent(NotifyEvent{"e1", "u1", "chat", "Ann", "hi", 1'000});
  BOOST_TEST(store->notifications().unreadSummary("u1")->subscribed);
  cb.record(key(1), "TEMPLATESENDJOBFINISH", receipt("oa1", 9, TemplateDelivery::Blocked, 5'000),
            6'000);
  BOOST_TEST(!store->notifications().unreadSummary("u1")->subscribed);
  cb.record(key(2), "subscribe", follow("oa1", true, 7'000), 8'000);
  BOOST_TEST(store->notifications().unreadSummary("u1")->subscribed);
}

BOOST_AUTO_TEST_CASE(a_bind_code_binds_once_before_it_expires) {
  auto& cb = store->callback();
  store->accounts().recordMpUser("mp1", "");
  cb.addBindCode(BindCode{kScene, "mp1", 100'000, 0, ""}, 1'000);
  auto bound = cb.record(key(1), "SCAN", scan("oa1", kScene, 2'000), 3'000);
  BOOST_TEST(bindOutcomeName(bound.bind) == std::string("bound"));
  auto account = store->accounts().findByOaOpenid("oa1");
  BOOST_REQUIRE(account);
  BOOST_TEST(account->mpOpenid == "mp1");
  BOOST_TEST(account->subscribed);             // a scan comes from a follower
  BOOST_TEST(store->accounts().count() == 1);  // the MP user's row merged into the follower's
  BOOST_TEST(cb.bindCode(kScene)->oaOpenid == "oa1");

  auto reused = cb.record(key(2), "SCAN", scan("oa2", kScene, 4'000), 5'000);
  BOOST_TEST(bindOutcomeName(reused.bind) == std::string("used"));
  BOOST_TEST(!store->accounts().findByOaOpenid("oa2"));  // nothing was bound

  const std::string other = "wxbind_000000000000000000000001";
  cb.addBindCode(BindCode{other, "mp2", 10'000, 0, ""}, 1'000);
  auto late = cb.record(key(3), "SCAN", scan("oa3", other, 10'000), 10'000);
  BOOST_TEST(bindOutcomeName(late.bind) == std::string("expired"));
  auto unknown = cb.record(key(4), "SCAN", scan("oa3", kScene + "x", 10'000), 10'000);
  BOOST_TEST(bindOutcomeName(unknown.bind) == std::string("unknown_code"));
}

BOOST_AUTO_TEST_CASE(binding_keeps_the_mp_users_unionid_and_refuses_conflicts) {
  auto& cb = store->callback();
  store->accounts().recordMpUser("mp1", "u1");
  store->accounts().upsertFollowers({{"oa1", "", true}}, 1'000);
  cb.addBindCode(BindCode{kScene, "mp1", 100'000, 0, ""}, 1'000);
  BOOST_TEST(bindOutcomeName(cb.record(key(1), "SCAN", scan("oa1", kScene, 2'000), 3'000).bind) ==
             std::string("bound"));
  auto account = store->accounts().findByUnionid("u1");
  BOOST_REQUIRE(account);
  BOOST_TEST(account->oaOpenid == "oa1");
  BOOST_TEST(account->mpOpenid == "mp1");

  // oa1 is bound to mp1: a code of another MP user does not steal it.
  const std::string other = "wxbind_000000000000000000000002";
  store->accounts().recordMpUser("mp2", "");
  cb.addBindCode(BindCode{other, "mp2", 100'000, 0, ""}, 1'000);
  BOOST_TEST(bindOutcomeName(cb.record(key(2), "SCAN", scan("oa1", other, 2'000), 3'000).bind) ==
             std::string("conflict"));
  BOOST_TEST(store->accounts().findByUnionid("u1")->mpOpenid == "mp1");
  BOOST_TEST(cb.bindCode(other)->usedAtMs == 0);
}

BOOST_AUTO_TEST_CASE(job_claims_are_exclusive_fenced_and_come_back_after_their_ttl) {
  auto& cb = store->callback();
  cb.record(key(1), "subscribe", follow("oa1", true, 1'000), 1'000);
  auto a = cb.claimJobs("a", 10, 2'000, 5'000);
  BOOST_REQUIRE(a.size() == 1u);
  BOOST_TEST(a[0].attempts == 1);
  BOOST_TEST(cb.claimJobs("b", 10, 3'000, 5'000).empty());
  auto b = cb.claimJobs("b", 10, 7'001, 5'000);  // a's claim expired: a died
  BOOST_REQUIRE(b.size() == 1u);
  BOOST_TEST(b[0].attempts == 2);
  BOOST_TEST(!cb.finishJob(a[0].id, "a"));  // fenced
  BOOST_TEST(cb.retryJob(b[0].id, "b", 20'000, "user/info: 45009", 8'000));
  BOOST_TEST(cb.claimJobs("c", 10, 19'999, 5'000).empty());
  auto c = cb.claimJobs("c", 10, 20'000, 5'000);
  BOOST_REQUIRE(c.size() == 1u);
  BOOST_TEST(cb.retryJob(c[0].id, "c", std::nullopt, "gave up", 21'000));
  BOOST_TEST(cb.jobDepth() == 0);
  BOOST_TEST(cb.jobsGivenUp() == 1);
  BOOST_TEST(cb.claimJobs("d", 10, 1'000'000, 5'000).empty());
}

// A worker stopping puts its claimed jobs back: due at once, the claim's attempt given back, the
// claim fenced like every settle.
BOOST_AUTO_TEST_CASE(a_job_put_back_is_due_at_once_with_its_attempt_given_back) {
  auto& cb = store->callback();
  cb.record(key(1), "subscribe", follow("oa1", true, 1'000), 1'000);
  auto a = cb.claimJobs("a", 10, 2'000, 5'000);
  BOOST_REQUIRE(a.size() == 1u);
  BOOST_TEST(cb.retryJob(a[0].id, "a", 3'000, "user/info: -1", 2'500));
  auto b = cb.claimJobs("b", 10, 3'000, 5'000);
  BOOST_REQUIRE(b.size() == 1u);
  BOOST_TEST(b[0].attempts == 2);
  BOOST_TEST(!cb.putBackJob(b[0].id, "a", 3'500));  // fenced
  BOOST_TEST(cb.putBackJob(b[0].id, "b", 3'500));
  BOOST_TEST(!cb.putBackJob(b[0].id, "b", 3'500));  // once: no second refund of the attempt
  auto c = cb.claimJobs("c", 10, 3'500, 5'000);
  BOOST_REQUIRE(c.size() == 1u);
  BOOST_TEST(c[0].attempts == 2);
}

BOOST_AUTO_TEST_CASE(retention_purges_old_pushes_expired_codes_and_given_up_jobs) {
  auto& cb = store->callback();
  cb.record(key(1), "unsubscribe", follow("oa1", false, 1'000), 1'000);
  cb.record(key(2), "unsubscribe", follow("oa2", false, 5'000), 5'000);
  cb.addBindCode(BindCode{kScene, "mp1", 2'000, 0, ""}, 1'000);
  auto purged = cb.purgeBefore(3'000, 100);
  BOOST_TEST(purged.pushes == 1);
  BOOST_TEST(purged.bindCodes == 1);
  BOOST_TEST(cb.record(key(1), "unsubscribe", follow("oa1", false, 1'000), 9'000).duplicate ==
             false);
  BOOST_TEST(cb.record(key(2), "unsubscribe", follow("oa2", false, 5'000), 9'000).duplicate);
}

// Two processes recording the same pushes apply each exactly once: every subscribe queues one
// unionid job, so the queue holds one job per distinct push.
BOOST_AUTO_TEST_CASE(processes_recording_the_same_pushes_apply_each_once) {
  constexpr int kPushes = 60;
  auto settings = this->settings;
  bool ok = runInProcesses(3, [&](int) {
    auto own = openStore(settings, wallClock());
    for (int i = 0; i < kPushes; ++i) {
      own->callback().record(key(i), "subscribe", follow("oa" + std::to_string(i), true, i), 1);
    }
    return 0;
  });
  BOOST_TEST(ok);
  BOOST_TEST(store->callback().jobDepth() == kPushes);
  BOOST_TEST(store->accounts().count() == kPushes);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
