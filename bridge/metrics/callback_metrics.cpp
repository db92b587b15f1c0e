#include "bridge/metrics/callback_metrics.h"

#include <Poco/Logger.h>

namespace wxb {

void describeCallbackMetrics(Metrics& metrics, CallbackStore& store) {
  using Type = Metrics::Type;
  metrics.describe("wxbridge_callback_pushes_total", Type::Counter,
                   "event pushes by event and outcome (applied, duplicate, unknown_event,"
                   " bad_signature, bad_appid, stale, unparseable, mode_refused,"
                   " store_unavailable; verified for the URL check; a body over"
                   " callback.max_body_bytes is refused by the HTTP edge: 413 in"
                   " wxbridge_http_requests_total)");
  metrics.describe("wxbridge_callback_binds_total", Type::Counter,
                   "bind-code scans by outcome (bound, unknown_code, expired, used, conflict)");
  metrics.describe("wxbridge_callback_jobs_total", Type::Counter,
                   "callback job attempts by kind and result (done, retry, gave_up)");
  metrics.describe("wxbridge_callback_receipts_ignored_total", Type::Counter,
                   "template receipts ignored: pushed by an openid that is not the recipient of"
                   " the message with their msgid");
  metrics.describe("wxbridge_callback_queue_depth", Type::Gauge,
                   "callback jobs waiting or running (state queued), and given up (gave_up)");
  metrics.describe("wxbridge_outbox_deliveries", Type::Gauge,
                   "outbox messages by the platform's receipt (delivered, blocked, failed)");
  metrics.addCollector([&store](Metrics& m) {
    m.set("wxbridge_callback_queue_depth", {{"state", "queued"}},
          static_cast<double>(store.jobDepth()));
    m.set("wxbridge_callback_queue_depth", {{"state", "gave_up"}},
          static_cast<double>(store.jobsGivenUp()));
    auto counts = store.deliveryCounts();
    for (const char* state : {"delivered", "blocked", "failed"}) {
      m.set("wxbridge_outbox_deliveries", {{"delivery", state}},
            static_cast<double>(counts[state]));
    }
  });
}

void countPush(Metrics& metrics, const std::string& event, const std::string& outcome) {
  metrics.increment("wxbridge_callback_pushes_total", {{"event", event}, {"outcome", outcome}});
}

void countBind(Metrics& metrics, BindOutcome outcome) {
  metrics.increment("wxbridge_callback_binds_total", {{"outcome", bindOutcomeName(outcome)}});
}

void countJob(Metrics& metrics, const std::string& kind, const char* result) {
  metrics.increment("wxbridge_callback_jobs_total", {{"kind", kind}, {"result", result}});
}

void countIgnoredReceipt(Metrics& metrics, const std::string& openid, int64_t msgid) {
  metrics.increment("wxbridge_callback_receipts_ignored_total", {});
  Poco::Logger::get("wxb.callback")
      .warning(
          "callback: a template receipt for msgid %?d came from %s, who is not the recipient of "
          "that message: ignored",
          msgid, openid);
}

}  // namespace wxb
