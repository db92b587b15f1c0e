// CallbackWorker against the real fake-wechat and a fresh store: a follow's unionid is fetched
// with user/info after the push was recorded and the follower is merged with the mini-program
// user of that unionid; a receipt that came before its msgid is attached once the outbox row
// has it, and one that never meets a row (a template message sent by someone else) is finished
// as unmatched, not given up; a failing platform call is retried after the backoff and given up
// after maxAttempts.
#include "bridge/callback/callback_worker.h"

#include <boost/test/unit_test.hpp>

#include "support/fake_wechat_process.h"
#include "support/test_store.h"
#include "support/wechat_client_fixtures.h"

namespace wxb::test {

namespace {

class ManualClock : public Clock {
 public:
  int64_t nowMs() const override { return now; }
  int64_t now = 1'700'000'000'000;
};

PushEffects follow(const std::string& openid, int64_t atMs) {
  PushEffects e;
  e.openid = openid;
  e.follow = FollowChange{true, atMs};
  e.fetchUnionid = true;
  e.atMs = atMs;
  return e;
}

// A TEMPLATESENDJOBFINISH of msgid for oUser, delivered, at atMs.
PushEffects receipt(int64_t msgid, int64_t atMs) {
  PushEffects e;
  e.openid = "oUser";
  e.receipt = DeliveryReceipt{msgid, TemplateDelivery::Delivered, "success", atMs};
  e.atMs = atMs;
  return e;
}

struct WorkerWorld {
  FakeWechatProcess fake{{"--followers", "2", "--unionid-ratio", "1"}};
  std::unique_ptr<Store> store = freshStore(backend());
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens{settings};
  WechatClient client{settings, tokens};
  Metrics metrics;
  ManualClock clock;
  CallbackWorker worker{store->callback(),
                        store->accounts(),
                        client,
                        metrics,
                        clock,
                        CallbackWorkerSettings{16, 60'000, 3, 1'000, 10'000, 1'000, 2}};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(callback_worker, WorkerWorld)

BOOST_AUTO_TEST_CASE(a_follow_gets_its_unionid_and_meets_its_mini_program_user) {
  auto follower = fake.getNdjson("/__fake/followers").at(0);
  const std::string openid = follower["openid"], unionid = follower["unionid"];
  store->accounts().recordMpUser("oMpUser000000000000000001", unionid);
  auto recorded = store->callback().record(std::string(64, 'a'), "subscribe",
                                           follow(openid, clock.now), clock.now);
  BOOST_TEST(recorded.jobs == 1);
  BOOST_TEST(worker.runOnce() == 1);
  auto account = store->accounts().findByUnionid(unionid);
  BOOST_REQUIRE(account);
  BOOST_TEST(account->oaOpenid == openid);
  BOOST_TEST(account->mpOpenid == "oMpUser000000000000000001");
  BOOST_TEST(account->subscribed);
  BOOST_TEST(store->accounts().count() == 1);
  BOOST_TEST(store->callback().jobDepth() == 0);
  BOOST_TEST(metrics.value("wxbridge_callback_jobs_total",
                           {{"kind", "unionid"}, {"result", "done"}}) == 1);
}

BOOST_AUTO_TEST_CASE(a_receipt_before_its_msgid_is_attached_when_the_row_has_it) {
  store->callback().record(std::string(64, 'b'), "TEMPLATESENDJOBFINISH", receipt(4242, clock.now),
                           clock.now);
  BOOST_TEST(worker.runOnce() == 1);  // no row yet: retried after the backoff
  BOOST_TEST(worker.runOnce() == 0);
  auto& n = store->notifications();
  int64_t id = n.enqueue(NewMessage{"k", "u", "oUser", "daily", "{}", 0}, clock.now).id;
  n.claim("s", 1, clock.now, 60'000);
  n.markSent({{id, 4242}}, "s", clock.now);
  clock.now += 1'001;
  BOOST_TEST(worker.runOnce() == 1);
  BOOST_TEST(n.message(id)->delivery == "delivered");
  BOOST_TEST(store->callback().jobDepth() == 0);
}

BOOST_AUTO_TEST_CASE(a_receipt_no_row_ever_has_is_finished_as_unmatched_not_given_up) {
  store->callback().record(std::string(64, 'd'), "TEMPLATESENDJOBFINISH", receipt(777, clock.now),
                           clock.now);
  BOOST_TEST(worker.runOnce() == 1);
  clock.now += 10'001;
  BOOST_TEST(worker.runOnce() == 1);  // second attempt = receiptMaxAttempts
  BOOST_TEST(store->callback().jobDepth() == 0);
  BOOST_TEST(store->callback().jobsGivenUp() == 0);
  BOOST_TEST(metrics.value("wxbridge_callback_jobs_total",
                           {{"kind", "receipt"}, {"result", "unmatched"}}) == 1);
  BOOST_TEST(metrics.value("wxbridge_callback_jobs_total",
                           {{"kind", "receipt"}, {"result", "gave_up"}}) == 0);
}

BOOST_AUTO_TEST_CASE(a_failing_call_is_retried_then_given_up) {
  fake.configure({{"busy_rate", 1.0}});  // every call: errcode -1, transient
  store->callback().record(std::string(64, 'c'), "subscribe",
                           follow("oUnknownFollower0000000000001", clock.now), clock.now);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    BOOST_TEST(worker.runOnce() == 1);
    clock.now += 10'001;
  }
  BOOST_TEST(worker.runOnce() == 0);
  BOOST_TEST(store->callback().jobDepth() == 0);
  BOOST_TEST(store->callback().jobsGivenUp() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
