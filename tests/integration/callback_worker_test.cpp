// CallbackWorker against the real fake-wechat and a fresh store: a follow's unionid is fetched
// with user/info after the push was recorded and the follower is merged with the mini-program
// user of that unionid; a receipt that came before its msgid is attached once the outbox row
// has it, and one that never meets a row within the window a send can take to be recorded (a
// template message sent by someone else) is finished as unmatched, not given up; a failing
// platform call is retried after the backoff and given up after maxAttempts; a job that throws
// is settled on its own; stop() does not wait for the retries of a platform that fails.
#include "bridge/callback/callback_worker.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "cron/stop_signal.h"
#include "store/open_store.h"
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

// The workers' settings here: batches of 16, 1-10 s of backoff, `maxAttempts` attempts a job.
CallbackWorkerSettings workerSettings(int maxAttempts) {
  return CallbackWorkerSettings{.batch = 16,
                                .claimTtlMs = 60'000,
                                .maxAttempts = maxAttempts,
                                .backoffBaseMs = 1'000,
                                .backoffMaxMs = 10'000,
                                .idleWaitMs = 1'000};
}

struct WorkerWorld {
  FakeWechatProcess fake{{"--followers", "2", "--unionid-ratio", "1"}};
  std::unique_ptr<Store> store = freshStore(backend());
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens{settings};
  WechatClient client{settings, tokens};
  Metrics metrics;
  ManualClock clock;
  CallbackWorker worker{store->callback(), store->accounts(), client, metrics, clock,
                        workerSettings(3)};
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

// The outbox sender records msgids when its claimed batch is done, and after a failed record
// resends within the platform's 10-minute dedup window: a receipt waits for its row that long,
// whatever its attempts (REVIEW4 R2), then it was not ours: finished as unmatched, not given up.
BOOST_AUTO_TEST_CASE(a_receipt_waits_for_its_msgid_as_long_as_a_send_can_take_to_record_it) {
  store->callback().record(std::string(64, 'd'), "TEMPLATESENDJOBFINISH", receipt(777, clock.now),
                           clock.now);
  for (int attempt = 1; attempt <= 6; ++attempt) {  // more than maxAttempts, about 1 min
    BOOST_TEST(worker.runOnce() == 1);
    clock.now += 10'001;
  }
  BOOST_TEST(store->callback().jobDepth() == 1);
  auto& n = store->notifications();
  int64_t id = n.enqueue(NewMessage{"k", "u", "oUser", "daily", "{}", 0}, clock.now).id;
  n.claim("s", 1, clock.now, 60'000);
  n.markSent({{id, 777}}, "s", clock.now);
  BOOST_TEST(worker.runOnce() == 1);
  BOOST_TEST(n.message(id)->delivery == "delivered");

  store->callback().record(std::string(64, 'e'), "TEMPLATESENDJOBFINISH", receipt(778, clock.now),
                           clock.now);
  const int64_t secondAt = clock.now;
  while (clock.now < secondAt + 600'000) {
    BOOST_TEST(store->callback().jobDepth() == 1);
    BOOST_TEST(worker.runOnce() == 1);
    clock.now += 10'001;
  }
  BOOST_TEST(worker.runOnce() == 1);  // the window has passed: not ours
  BOOST_TEST(store->callback().jobDepth() == 0);
  BOOST_TEST(store->callback().jobsGivenUp() == 0);
  BOOST_TEST(metrics.value("wxbridge_callback_jobs_total",
                           {{"kind", "receipt"}, {"result", "unmatched"}}) == 1);
  BOOST_TEST(metrics.value("wxbridge_callback_jobs_total",
                           {{"kind", "receipt"}, {"result", "gave_up"}}) == 0);
}

// A queued receipt whose row turns out to be another openid's is finished, changing nothing,
// and counted as ignored (usertest4 F9).
BOOST_AUTO_TEST_CASE(a_queued_receipt_from_another_openid_is_ignored_when_its_row_comes) {
  store->callback().record(std::string(64, 'f'), "TEMPLATESENDJOBFINISH", receipt(4343, clock.now),
                           clock.now);
  auto& n = store->notifications();
  int64_t id = n.enqueue(NewMessage{"k", "u", "oSomeoneElse", "daily", "{}", 0}, clock.now).id;
  n.claim("s", 1, clock.now, 60'000);
  n.markSent({{id, 4343}}, "s", clock.now);
  BOOST_TEST(worker.runOnce() == 1);
  BOOST_TEST(n.message(id)->delivery == "");
  BOOST_TEST(store->callback().jobDepth() == 0);
  BOOST_TEST(metrics.value("wxbridge_callback_receipts_ignored_total", {}) == 1);
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

// A job whose run throws (here a store error: its table is gone) is settled on its own as a
// failed attempt; the jobs after it in the batch run as usual (REVIEW4 R9).
BOOST_AUTO_TEST_CASE(a_job_that_throws_does_not_stop_the_rest_of_its_batch) {
  StoreSettings settings = migratedStoreSettings(backend());
  auto own = openStore(settings, clock);
  CallbackWorker isolated{own->callback(), own->accounts(), client, metrics, clock};
  auto follower = fake.getNdjson("/__fake/followers").at(0);
  const std::string openid = follower["openid"], unionid = follower["unionid"];
  own->accounts().recordMpUser("oMpUser000000000000000001", unionid);
  own->callback().record(std::string(64, 'f'), "TEMPLATESENDJOBFINISH", receipt(4243, clock.now),
                         clock.now);
  own->callback().record(std::string(64, 'g'), "subscribe", follow(openid, clock.now), clock.now);
  execSql(settings, "ALTER TABLE outbox RENAME TO outbox_away");
  BOOST_TEST(isolated.runOnce() == 2);
  BOOST_TEST(own->accounts().findByUnionid(unionid)->oaOpenid == openid);  // the second job ran
  BOOST_TEST(own->callback().jobDepth() == 1);  // the receipt: retried after the backoff
  BOOST_TEST(isolated.runOnce() == 0);
  execSql(settings, "ALTER TABLE outbox_away RENAME TO outbox");
  clock.now += 1'001;
  BOOST_TEST(isolated.runOnce() == 1);
  BOOST_TEST(own->callback().jobDepth() == 1);  // still waiting for its msgid, as any receipt
}

// stop() while the platform fails every call (errcode -1) and the client would retry each one
// for minutes: the worker's thread is under its loop's StopSignal, so the call in hand gives up
// at once and its job, like the rest of the batch, goes back to the queue due at once with its
// attempt given back - stop ends within a second or two and no job is lost or given up.
BOOST_AUTO_TEST_CASE(stop_while_a_call_is_in_its_retries_ends_at_once_and_keeps_the_jobs) {
  fake.configure({{"busy_rate", 1.0}});
  WechatClientSettings patient = fakeCredentials(fake.baseUrl(), 1'000, 5'000);
  patient.maxAttempts = 12;  // about half a minute of backoff a call
  CountingTokenSource patientTokens{patient};
  WechatClient patientClient{patient, patientTokens};
  // One attempt a job: a stop that used the claim's attempt up would give the job in hand up.
  CallbackWorker stoppable{store->callback(), store->accounts(), patientClient, metrics, clock,
                           workerSettings(1)};
  for (int i = 0; i < 3; ++i) {
    const std::string openid = "oUnknownFollower000000000000" + std::to_string(i);
    store->callback().record(std::string(64, static_cast<char>('h' + i)), "subscribe",
                             follow(openid, clock.now), clock.now);
  }
  stoppable.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));  // deep in the retries
  const auto stopAt = std::chrono::steady_clock::now();
  stoppable.stop();
  const auto stopMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - stopAt)
                          .count();
  BOOST_TEST_MESSAGE("worker stopped in " << stopMs << " ms");
  BOOST_TEST(stopMs < 3'000);
  BOOST_TEST(store->callback().jobDepth() == 3);
  BOOST_TEST(store->callback().jobsGivenUp() == 0);
  auto again = store->callback().claimJobs("after", 16, clock.now, 60'000);
  BOOST_TEST(again.size() == 3u);  // due at once, the one whose call was cut short too
  for (const auto& job : again) BOOST_TEST(job.attempts == 1);  // the stop used none up
}

// A stop that comes while the job's token is rejected: the client, stopping, neither refreshes
// nor calls again and returns the rejection - which alone would give a unionid job up for good.
// A stop never gives a job up: it goes back, due at once, its attempt given back.
BOOST_AUTO_TEST_CASE(a_stop_that_meets_a_rejected_token_keeps_the_job) {
  StopSignal stopping;
  // A forged token the platform rejects; handing it out is where the stop comes.
  class StoppingTokenSource : public TokenSource {
   public:
    explicit StoppingTokenSource(StopSignal& signal) : signal_(signal) {}
    WechatResult<std::string> accessToken(App) override {
      signal_.request();
      return std::string("forged-token-that-the-platform-never-issued");
    }
    void tokenRejected(App, const std::string&) override {}

   private:
    StopSignal& signal_;
  } forged{stopping};
  WechatClient forgedClient{settings, forged};
  CallbackWorker stopped{store->callback(), store->accounts(), forgedClient, metrics, clock};
  const std::string openid = fake.getNdjson("/__fake/followers").at(0)["openid"];
  store->callback().record(std::string(64, 'r'), "subscribe", follow(openid, clock.now), clock.now);
  {
    StopSignal::Scope scope(stopping);
    BOOST_TEST(stopped.runOnce() == 1);
  }
  BOOST_TEST(stopping.stopped());
  BOOST_TEST(store->callback().jobsGivenUp() == 0);
  auto again = store->callback().claimJobs("after", 16, clock.now, 60'000);
  BOOST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].attempts == 1);  // the stop used none up
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
