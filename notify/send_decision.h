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

#include "notify/channels.h"
#include "notify/grant_ledger.h"
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

// The decision for a send on `channel`: decideSend() plus what the subscribe channels add.
// A subscribe send has no client_msg_id, so one whose answer never came is not resent but left
// unknown; its grant counts as spent. The grant of any other failure follows grantAfterSend().
// With `autoChannel`, an answer saying the channel cannot reach the user after all (43101 on a
// subscribe channel, 43004 on oa_template) sends the message back to choose again at once, the
// attempt not counted; the ledger or the account has changed, so the next choice differs.
struct ChannelSendDecision {
  SendDecision send;
  GrantAfterSend grant = GrantAfterSend::Spent;  // subscribe channels only
  bool chooseAgain = false;
};
ChannelSendDecision decideChannelSend(const WechatResult<int64_t>& result, Channel channel,
                                      bool autoChannel, const OutboxMessage& claimed, int64_t nowMs,
                                      const SenderSettings& settings, double jitter);

// True when `claimed` may no longer be sent: an earlier attempt may have been delivered and the
// platform's dedup window (settings.resendWindowMs) has passed since.
bool resendWindowPassed(const OutboxMessage& claimed, int64_t nowMs,
                        const SenderSettings& settings);

// The errcode label of a send for metrics: 0 success, the platform's errcode, -STATUS for an
// HTTP status, kCallBadResponse or kCallTransportFailed (wechat/wechat_client.h).
int sendErrcodeLabel(const WechatResult<int64_t>& result);

}  // namespace wxb
