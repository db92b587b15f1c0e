#include "bridge/metrics/sync_metrics.h"

namespace wxb {

namespace {

void describeSyncMetrics(Metrics& metrics) {
  using Type = Metrics::Type;
  metrics.describe("wxbridge_sync_running", Type::Gauge, "1 while this instance runs a sync");
  metrics.describe("wxbridge_sync_pages", Type::Gauge, "user/get pages done by the current run");
  metrics.describe("wxbridge_sync_followers", Type::Gauge,
                   "followers done by the current or last run");
  metrics.describe("wxbridge_sync_followers_expected", Type::Gauge,
                   "follower count the platform reported to the current or last run");
  metrics.describe("wxbridge_sync_followers_per_second", Type::Gauge,
                   "followers a second of the current run in this instance, or of the last one "
                   "once it ended");
  metrics.describe("wxbridge_sync_runs_total", Type::Counter, "sync runs ended, by final state");
  metrics.describe("wxbridge_sync_last_completed_timestamp_seconds", Type::Gauge,
                   "end of the last run that completed (Unix seconds)");
  metrics.describe("wxbridge_sync_unsubscribed_total", Type::Counter,
                   "accounts marked unsubscribed because a complete run did not see them");
}

}  // namespace

SyncHooks syncMetricsHooks(Metrics& metrics) {
  describeSyncMetrics(metrics);
  SyncHooks hooks;
  hooks.onProgress = [&metrics](const SyncProgress& p) {
    metrics.set("wxbridge_sync_running", {}, 1);
    metrics.set("wxbridge_sync_pages", {}, static_cast<double>(p.run.pages));
    metrics.set("wxbridge_sync_followers", {}, static_cast<double>(p.run.followers));
    metrics.set("wxbridge_sync_followers_expected", {}, static_cast<double>(p.run.total));
    metrics.set("wxbridge_sync_followers_per_second", {}, p.rate());
  };
  hooks.onFinish = [&metrics](const SyncRun& run) {
    // The rate stays: the last progress report measured the whole session, in milliseconds.
    metrics.set("wxbridge_sync_running", {}, 0);
    metrics.increment("wxbridge_sync_runs_total", {{"state", syncStateName(run.state)}});
    metrics.increment("wxbridge_sync_unsubscribed_total", {},
                      static_cast<double>(run.unsubscribed));
    if (run.state == SyncState::Completed) {
      metrics.set("wxbridge_sync_last_completed_timestamp_seconds", {},
                  static_cast<double>(run.finishedAtMs) / 1000.0);
    }
  };
  return hooks;
}

}  // namespace wxb
