// What the outbox does with each platform answer: sent, retried with backoff, failed with the
// errcode, the account unsubscribed (43004), sends paused (45009), or left unknown when a
// resend could no longer be deduplicated.
#include <boost/test/unit_test.hpp>

#include "notify/quota_pause.h"
#include "notify/send_decision.h"
#include "wechat/backoff.h"
#include "wechat/wechat_client.h"

namespace wxb {

namespace {

using Action = SendDecision::Action;
using Kind = WechatError::Kind;

constexpr int64_t kNow = 1'700'000'000'000;

WechatResult<int64_t> error(Kind kind, int errcode, int httpStatus = 0) {
  WechatError e{kind, "/cgi-bin/message/template/send", errcode, "x"};
  e.httpStatus = httpStatus;
  return std::unexpected(e);
}

OutboxMessage claimed(int attempts, int64_t ambiguousSince = 0) {
  OutboxMessage m;
  m.id = 1;
  m.attempts = attempts;
  m.lastAttemptAtMs = kNow - 100;
  m.ambiguousSinceMs = ambiguousSince;
  return m;
}

SendDecision decide(const WechatResult<int64_t>& r, const OutboxMessage& m) {
  return decideSend(r, m, kNow, SenderSettings{}, 0.5);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_send_decision)

BOOST_AUTO_TEST_CASE(success_records_the_msgid) {
  auto d = decide(int64_t{3'000'000'000'000'000'001}, claimed(1));
  BOOST_TEST((d.action == Action::MarkSent));
  BOOST_TEST(d.msgid == 3'000'000'000'000'000'001);
}

BOOST_AUTO_TEST_CASE(busy_5xx_and_timeouts_are_retried_with_growing_backoff) {
  auto busy = decide(error(Kind::Busy, -1), claimed(1));
  BOOST_TEST((busy.action == Action::RetryLater));
  BOOST_TEST(busy.errcode == -1);
  BOOST_TEST(!busy.ambiguous);
  BOOST_TEST(busy.retryAtMs == kNow + backoffMs(1, 2'000, 300'000, 0.5));
  auto http = decide(error(Kind::Http, 0, 502), claimed(3));
  BOOST_TEST((http.action == Action::RetryLater));
  BOOST_TEST(http.retryAtMs == kNow + backoffMs(3, 2'000, 300'000, 0.5));
  BOOST_TEST(http.retryAtMs > busy.retryAtMs);
  auto timeout = decide(error(Kind::Transport, 0), claimed(1));
  BOOST_TEST((timeout.action == Action::RetryLater));
  BOOST_TEST(timeout.ambiguous);
}

BOOST_AUTO_TEST_CASE(not_following_fails_the_message_and_unsubscribes_the_account) {
  auto d = decide(error(Kind::Permanent, 43004), claimed(1));
  BOOST_TEST((d.action == Action::MarkFailed));
  BOOST_TEST(d.errcode == 43004);
  BOOST_TEST(d.unsubscribe);
}

BOOST_AUTO_TEST_CASE(other_permanent_errors_fail_with_their_errcode_only) {
  for (int errcode : {40003, 40037, 47003}) {
    auto d = decide(error(Kind::Permanent, errcode), claimed(1));
    BOOST_TEST((d.action == Action::MarkFailed));
    BOOST_TEST(d.errcode == errcode);
    BOOST_TEST(!d.unsubscribe);
  }
  BOOST_TEST((decide(error(Kind::Http, 0, 404), claimed(1)).action == Action::MarkFailed));
}

BOOST_AUTO_TEST_CASE(quota_pauses_until_the_reset_without_counting_an_attempt) {
  auto d = decide(error(Kind::Quota, 45009), claimed(1));
  BOOST_TEST((d.action == Action::PauseAndRetry));
  BOOST_TEST(d.retryAtMs == quotaPauseUntilMs(kNow));
}

BOOST_AUTO_TEST_CASE(the_last_attempt_fails_or_ends_unknown_if_it_may_have_arrived) {
  SenderSettings settings;
  auto failed = decide(error(Kind::Busy, -1), claimed(settings.maxAttempts));
  BOOST_TEST((failed.action == Action::MarkFailed));
  BOOST_TEST(failed.error.find("gave up after 8 attempts") != std::string::npos);
  auto unknown = decide(error(Kind::Transport, 0), claimed(settings.maxAttempts));
  BOOST_TEST((unknown.action == Action::MarkUnknown));
  auto earlier = decide(error(Kind::Busy, -1), claimed(settings.maxAttempts, kNow - 60'000));
  BOOST_TEST((earlier.action == Action::MarkUnknown));
}

BOOST_AUTO_TEST_CASE(resends_stay_inside_the_dedup_window_or_are_not_made) {
  SenderSettings settings;
  int64_t opened = kNow - settings.resendWindowMs + 5'000;  // 5 s of the window left
  auto d = decide(error(Kind::Busy, -1), claimed(6, opened));
  BOOST_TEST((d.action == Action::RetryLater));
  BOOST_TEST(d.retryAtMs == opened + settings.resendWindowMs - 1'000);
  auto late = decide(error(Kind::Busy, -1), claimed(6, kNow - settings.resendWindowMs + 500));
  BOOST_TEST((late.action == Action::MarkUnknown));
  BOOST_TEST(!resendWindowPassed(claimed(2, opened), kNow, settings));
  BOOST_TEST(resendWindowPassed(claimed(2, kNow - settings.resendWindowMs), kNow, settings));
  BOOST_TEST(!resendWindowPassed(claimed(2, 0), kNow, settings));
}

BOOST_AUTO_TEST_CASE(a_claim_takes_about_a_quarter_second_of_sends_per_worker) {
  SenderSettings s;
  s.qps = 200;
  s.workers = 4;
  BOOST_TEST(claimBatch(s) == 12);
  s.qps = 100'000;
  BOOST_TEST(claimBatch(s) == s.batchSize);
  s.qps = 1;
  BOOST_TEST(claimBatch(s) == 1);
}

BOOST_AUTO_TEST_CASE(metrics_labels_name_the_errcode_or_the_failure) {
  BOOST_TEST(sendErrcodeLabel(int64_t{5}) == 0);
  BOOST_TEST(sendErrcodeLabel(error(Kind::Permanent, 43004)) == 43004);
  BOOST_TEST(sendErrcodeLabel(error(Kind::Http, 0, 502)) == -502);
  BOOST_TEST(sendErrcodeLabel(error(Kind::Transport, 0)) == kCallTransportFailed);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
