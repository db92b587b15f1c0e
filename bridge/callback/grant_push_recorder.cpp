#include "bridge/callback/grant_push_recorder.h"

#include <utility>

#include "notify/ledger_updates.h"

namespace wxb {

GrantPushRecorder::GrantPushRecorder(CallbackStore& store, std::string book, GrantSource counted)
    : store_(store), book_(std::move(book)), counted_(counted) {}

PushOutcome GrantPushRecorder::operator()(const PushEvent& push, int64_t nowMs) {
  if (!isGrantEvent(push)) return PushOutcome::Ignored;
  const bool recorded = store_.recordGrants(pushDedupKey(push), pushKindName(push),
                                            grantUpdatesOf(push, book_, counted_), nowMs);
  return recorded ? PushOutcome::Applied : PushOutcome::Duplicate;
}

}  // namespace wxb
