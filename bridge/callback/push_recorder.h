// PushRecorder: the handler of the OA's callback endpoint - record first, answer fast, work
// later (issue #13). A push that changes something is recorded with its dedup key and applied
// in one store transaction (CallbackStore::record): the follow change, the refusing mark, the
// receipt on its outbox row, the bind; what needs the platform (the unionid's user/info, a
// receipt whose msgid is not known yet) is queued there and run by the CallbackWorker after
// the reply. Events that change nothing (other events, user messages, the subscribe-message
// events the OA does not get) are ignored without touching the store.
//
// Called by the callback route on the HTTP threads; thread-safe (the store and Metrics are).
#pragma once

#include <cstdint>
#include <functional>

#include "bridge/callback/callback_endpoint.h"
#include "bridge/metrics/metrics.h"
#include "store/callback/callback_store.h"

namespace wxb {

class PushRecorder {
 public:
  // onJobs is called (without a lock held) after a commit that queued jobs: the worker's wake.
  PushRecorder(CallbackStore& store, Metrics& metrics, std::function<void()> onJobs);

  // Throws StoreError (StoreUnavailable) when the push could not be recorded.
  PushOutcome operator()(const PushEvent& push, int64_t nowMs);

 private:
  CallbackStore& store_;
  Metrics& metrics_;
  std::function<void()> onJobs_;
};

}  // namespace wxb
