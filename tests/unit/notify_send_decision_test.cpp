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

// --- sends on the subscribe channels, and "auto" falling back -------------------------------

ChannelSendDecision onChannel(const WechatResult<int64_t>& r, Channel channel, bool autoChannel) {
  return decideChannelSend(r, channel, autoChannel, claimed(1), kNow, SenderSettings{}, 0.5);
}

BOOST_AUTO_TEST_CASE(a_delivered_subscribe_message_spends_its_grant) {
  auto d = onChannel(int64_t{7}, Channel::MpSubscribe, true);
  BOOST_TEST((d.send.action == Action::MarkSent));
  BOOST_TEST((d.grant == GrantAfterSend::Spent));
  BOOST_TEST(!d.chooseAgain);
}

BOOST_AUTO_TEST_CASE(refused_subscribe_messages_fail_and_refund_their_grant) {
  for (int errcode : {47003, 40037, 41030}) {
    BOOST_TEST_CONTEXT(errcode) {
      auto d = onChannel(error(Kind::Permanent, errcode), Channel::MpSubscribe, true);
      BOOST_TEST((d.send.action == Action::MarkFailed));
      BOOST_TEST(d.send.errcode == errcode);
      BOOST_TEST((d.grant == GrantAfterSend::Refund));
      BOOST_TEST(!d.chooseAgain);
    }
  }
}

BOOST_AUTO_TEST_CASE(no_grant_43101_zeroes_the_ledger_and_auto_chooses_again_at_once) {
  auto fallback = onChannel(error(Kind::Permanent, 43101), Channel::MpSubscribe, true);
  BOOST_TEST((fallback.grant == GrantAfterSend::Zero));
  BOOST_TEST(fallback.chooseAgain);
  BOOST_TEST((fallback.send.action == Action::RetryLater));
  BOOST_TEST(fallback.send.retryAtMs == kNow);
  auto fixed = onChannel(error(Kind::Permanent, 43101), Channel::OaSubscribe, false);
  BOOST_TEST((fixed.grant == GrantAfterSend::Zero));
  BOOST_TEST(!fixed.chooseAgain);
  BOOST_TEST((fixed.send.action == Action::MarkFailed));
}

BOOST_AUTO_TEST_CASE(an_unfollowed_user_43004_is_unsubscribed_and_auto_chooses_again) {
  auto d = onChannel(error(Kind::Permanent, 43004), Channel::OaTemplate, true);
  BOOST_TEST(d.chooseAgain);
  BOOST_TEST(d.send.unsubscribe);
  BOOST_TEST((d.send.action == Action::RetryLater));
  auto fixed = onChannel(error(Kind::Permanent, 43004), Channel::OaTemplate, false);
  BOOST_TEST((fixed.send.action == Action::MarkFailed));
}

BOOST_AUTO_TEST_CASE(a_subscribe_send_without_an_answer_is_unknown_never_resent) {
  auto d = onChannel(error(Kind::Transport, 0), Channel::MpSubscribe, true);
  BOOST_TEST((d.send.action == Action::MarkUnknown));
  BOOST_TEST((d.grant == GrantAfterSend::Spent));
  // The template channel resends with its client_msg_id instead.
  auto t = onChannel(error(Kind::Transport, 0), Channel::OaTemplate, true);
  BOOST_TEST((t.send.action == Action::RetryLater));
}

BOOST_AUTO_TEST_CASE(a_gateways_5xx_to_a_subscribe_send_is_unknown_and_spends_the_grant) {
  // The backend may have taken the call behind the 502: a resend could deliver it twice.
  auto d = onChannel(error(Kind::Http, 0, 502), Channel::MpSubscribe, true);
  BOOST_TEST((d.send.action == Action::MarkUnknown));
  BOOST_TEST((d.grant == GrantAfterSend::Spent));
  // A 4xx is an answer: nothing was delivered, the grant comes back.
  auto refused = onChannel(error(Kind::Http, 0, 404), Channel::MpSubscribe, true);
  BOOST_TEST((refused.grant == GrantAfterSend::Refund));
  BOOST_TEST((refused.send.action != Action::MarkUnknown));
  // A template message is resent with its client_msg_id.
  auto t = onChannel(error(Kind::Http, 0, 502), Channel::OaTemplate, true);
  BOOST_TEST((t.send.action == Action::RetryLater));
}

BOOST_AUTO_TEST_CASE(a_busy_subscribe_send_is_retried_and_its_grant_refunded_meanwhile) {
  auto d = onChannel(error(Kind::Busy, -1), Channel::MpSubscribe, true);
  BOOST_TEST((d.send.action == Action::RetryLater));
  BOOST_TEST((d.grant == GrantAfterSend::Refund));
  auto paused = onChannel(error(Kind::Quota, 45009), Channel::OaSubscribe, true);
  BOOST_TEST((paused.send.action == Action::PauseAndRetry));
  BOOST_TEST((paused.grant == GrantAfterSend::Refund));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
