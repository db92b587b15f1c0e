// The event push's Prometheus metrics (issue #13): pushes by event and outcome, binds by
// outcome, callback jobs run by kind and result, and - from collectors that ask the store at
// scrape time, so every instance reports the shared state - the job queue's depth and the
// outbox's delivery states. Called by the wiring code (describe), the callback route
// (countPush), the PushRecorder (countBind) and the CallbackWorker (countJob). Thread-safe
// because Metrics is.
#pragma once

#include <cstdint>
#include <string>

#include "bridge/metrics/metrics.h"
#include "store/callback/callback_store.h"

namespace wxb {

// Declares the metrics and registers the queue-depth and delivery-state collectors.
void describeCallbackMetrics(Metrics& metrics, CallbackStore& store);

// One push answered: event = pushKindName or "none", outcome as CallbackAnswer::outcome.
void countPush(Metrics& metrics, const std::string& event, const std::string& outcome);
void countBind(Metrics& metrics, BindOutcome outcome);
// A template receipt whose FromUserName (`openid`) is not the recipient of the message with its
// msgid (ReceiptMatch::OtherRecipient): counted and logged (openid and msgid, nothing secret).
void countIgnoredReceipt(Metrics& metrics, const std::string& openid, int64_t msgid);
// One job attempt: result done, retry, gave_up.
void countJob(Metrics& metrics, const std::string& kind, const char* result);

}  // namespace wxb
