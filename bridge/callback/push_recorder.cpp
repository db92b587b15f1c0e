#include "bridge/callback/push_recorder.h"

#include <utility>

#include "bridge/metrics/callback_metrics.h"
#include "wechat/callback/push_effects.h"

namespace wxb {

PushRecorder::PushRecorder(CallbackStore& store, Metrics& metrics, std::function<void()> onJobs)
    : store_(store), metrics_(metrics), onJobs_(std::move(onJobs)) {}

PushOutcome PushRecorder::operator()(const PushEvent& push, int64_t nowMs) {
  const PushEffects effects = effectsOf(push);
  if (!effects.acted()) return PushOutcome::Ignored;
  auto result = store_.record(pushDedupKey(push), pushKindName(push), effects, nowMs);
  if (result.duplicate) return PushOutcome::Duplicate;
  if (result.bind != BindOutcome::None) countBind(metrics_, result.bind);
  if (result.receipt == ReceiptMatch::OtherRecipient) {
    countIgnoredReceipt(metrics_, effects.openid, effects.receipt->msgId);
  }
  if (result.jobs > 0 && onJobs_) onJobs_();
  return PushOutcome::Applied;
}

}  // namespace wxb
