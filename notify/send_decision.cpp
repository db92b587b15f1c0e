#include "notify/send_decision.h"

#include "notify/quota_pause.h"
#include "wechat/backoff.h"
#include "wechat/wechat_client.h"

namespace wxb {

namespace {

constexpr int kNotFollowing = 43004;
constexpr int kNoGrant = 43101;

using Kind = WechatError::Kind;

// Without an answer (no response, or one we could not read) the platform may have delivered it.
bool mayHaveDelivered(const WechatError& e) {
  return e.kind == Kind::Transport || e.kind == Kind::BadResponse;
}

// Worth another attempt later: the platform's transient kinds, a token that will be refreshed,
// a whitelist the operator is fixing (logged loudly by the client), an unreadable answer.
bool worthRetrying(const WechatError& e) {
  return e.transient() || e.kind == Kind::TokenInvalid || e.kind == Kind::IpWhitelist ||
         e.kind == Kind::BadResponse;
}

SendDecision failed(const WechatError& e) {
  SendDecision d{SendDecision::Action::MarkFailed, 0, e.errcode, e.describe()};
  d.unsubscribe = e.errcode == kNotFollowing;
  return d;
}

SendDecision retryOrGiveUp(const WechatError& e, const OutboxMessage& claimed, int64_t nowMs,
                           const SenderSettings& settings, double jitter) {
  const bool ambiguous = mayHaveDelivered(e);
  const int64_t openedAt = claimed.ambiguousSinceMs != 0
                               ? claimed.ambiguousSinceMs
                               : (ambiguous ? claimed.lastAttemptAtMs : 0);
  SendDecision d{SendDecision::Action::RetryLater, 0, e.errcode, e.describe()};
  d.ambiguous = ambiguous;
  if (claimed.attempts >= settings.maxAttempts) {
    d.action = openedAt != 0 ? SendDecision::Action::MarkUnknown : SendDecision::Action::MarkFailed;
    d.error = "gave up after " + std::to_string(claimed.attempts) + " attempts: " + d.error;
    return d;
  }
  d.retryAtMs =
      nowMs + backoffMs(claimed.attempts, settings.backoffBaseMs, settings.backoffMaxMs, jitter);
  if (openedAt != 0) {
    // A resend must land inside the dedup window, or it could be delivered a second time.
    const int64_t lastSafe = openedAt + settings.resendWindowMs - 1'000;
    if (lastSafe <= nowMs) {
      d.action = SendDecision::Action::MarkUnknown;
      return d;
    }
    d.retryAtMs = std::min(d.retryAtMs, lastSafe);
  }
  return d;
}

}  // namespace

bool resendWindowPassed(const OutboxMessage& claimed, int64_t nowMs,
                        const SenderSettings& settings) {
  return claimed.ambiguousSinceMs != 0 &&
         nowMs - claimed.ambiguousSinceMs >= settings.resendWindowMs;
}

SendDecision decideSend(const WechatResult<int64_t>& result, const OutboxMessage& claimed,
                        int64_t nowMs, const SenderSettings& settings, double jitter) {
  if (result) return SendDecision{SendDecision::Action::MarkSent, *result, 0, ""};
  const WechatError& e = result.error();
  if (e.kind == Kind::Quota) {
    SendDecision d{SendDecision::Action::PauseAndRetry, 0, e.errcode, e.describe()};
    d.retryAtMs = quotaPauseUntilMs(nowMs);
    return d;
  }
  if (!worthRetrying(e)) return failed(e);
  return retryOrGiveUp(e, claimed, nowMs, settings, jitter);
}

ChannelSendDecision decideChannelSend(const WechatResult<int64_t>& result, Channel channel,
                                      bool autoChannel, const OutboxMessage& claimed, int64_t nowMs,
                                      const SenderSettings& settings, double jitter) {
  ChannelSendDecision d{decideSend(result, claimed, nowMs, settings, jitter)};
  const bool subscribe = channel != Channel::OaTemplate;
  if (subscribe) d.grant = grantAfterSend(result);
  if (result) return d;
  const WechatError& e = result.error();
  const int cannotReach = subscribe ? kNoGrant : kNotFollowing;
  if (autoChannel && e.errcode == cannotReach) {
    d.chooseAgain = true;
    d.send.action = SendDecision::Action::RetryLater;
    d.send.retryAtMs = nowMs;
    d.send.ambiguous = false;
  } else if (subscribe && (mayHaveDelivered(e) || (e.kind == Kind::Http && e.httpStatus >= 500))) {
    // A subscribe message has no client_msg_id: a gateway's 5xx may hide a delivery, and a
    // resend could deliver it twice. (A template message is resent: the platform drops the
    // duplicate by its client_msg_id.)
    d.send.action = SendDecision::Action::MarkUnknown;
    d.send.error = "no answer, and a subscribe message is never resent: " + e.describe();
  }
  return d;
}

int sendErrcodeLabel(const WechatResult<int64_t>& result) {
  if (result) return 0;
  const WechatError& e = result.error();
  if (e.errcode != 0) return e.errcode;
  if (e.kind == Kind::Http) return -e.httpStatus;
  if (e.kind == Kind::BadResponse) return kCallBadResponse;
  return kCallTransportFailed;
}

}  // namespace wxb
