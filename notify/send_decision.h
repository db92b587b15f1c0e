// What the outbox does with the platform's answer to one template send: record it sent, try
// again later (exponential backoff with jitter on -1, HTTP 5xx, timeouts, token and frequency
// errors), pause template sends until the quota resets (45009), mark the user unsubscribed and
// fail the message (43004), fail it with the errcode (other permanent errors), or leave it
// unknown (no answer, and no resend can be deduplicated any more). Decided here, as a pure
// function, so that every rule is unit-tested without a platform; the sender applies it.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "notify/notify_settings.h"
#include "store/notifications/notifications.h"
#include "wechat/wechat_error.h"

namespace wxb {

struct SendDecision {
  enum class Action { MarkSent, RetryLater, MarkFailed, MarkUnknown, PauseAndRetry };
  Action action = Action::MarkFailed;
  int64_t msgid = 0;         // MarkSent
  int errcode = 0;           // the platform's errcode, 0 when there was none
  std::string error;         // for people: WechatError::describe()
  int64_t retryAtMs = 0;     // RetryLater, PauseAndRetry (the pause's end)
  bool ambiguous = false;    // RetryLater: the failed attempt may have been delivered
  bool unsubscribe = false;  // MarkFailed on 43004: the account no longer follows the OA
};

// The decision for `result`, the answer to the send of `claimed` (as claim() returned it, its
// attempts counting this one). `jitter` in [0, 1) spreads the retry time.
SendDecision decideSend(const WechatResult<int64_t>& result, const OutboxMessage& claimed,
                        int64_t nowMs, const SenderSettings& settings, double jitter);

// True when `claimed` may no longer be sent: an earlier attempt may have been delivered and the
// platform's dedup window (settings.resendWindowMs) has passed since.
bool resendWindowPassed(const OutboxMessage& claimed, int64_t nowMs,
                        const SenderSettings& settings);

// The errcode label of a send for metrics: 0 success, the platform's errcode, -STATUS for an
// HTTP status, kCallBadResponse or kCallTransportFailed (wechat/wechat_client.h).
int sendErrcodeLabel(const WechatResult<int64_t>& result);

}  // namespace wxb
