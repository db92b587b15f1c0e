#include "bridge/metrics/schedule_metrics.h"

namespace wxb {

namespace {

const char* fireOutcome(const ScheduleFireDecision& d) {
  if (d.message) return "enqueued";
  return d.unreachable ? "unreachable" : "dropped";
}

}  // namespace

void describeScheduleMetrics(Metrics& metrics, Schedules& schedules) {
  using Type = Metrics::Type;
  metrics.describe("wxbridge_schedules", Type::Gauge,
                   "user-set reminders by state (active, paused, finished)");
  metrics.describe("wxbridge_schedule_fires_total", Type::Counter,
                   "reminder fires by outcome (enqueued, unreachable, dropped)");
  metrics.describe("wxbridge_schedule_misfires_total", Type::Counter,
                   "reminder fires skipped because they were found too late");
  metrics.describe("wxbridge_schedule_fire_lag_seconds", Type::Histogram,
                   "time from a reminder's fire time to its enqueue",
                   {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300});
  metrics.addCollector([&schedules](Metrics& m) {
    auto counts = schedules.countByState();
    for (auto s : {ScheduleState::Active, ScheduleState::Paused, ScheduleState::Finished}) {
      m.set("wxbridge_schedules", {{"state", scheduleStateName(s)}},
            static_cast<double>(counts[s]));
    }
  });
}

ScheduleFireObserver scheduleFireObserver(Metrics& metrics) {
  return [&metrics](const ScheduleFireDecision& d, int64_t nowMs) {
    if (d.missed > 0) {
      metrics.increment("wxbridge_schedule_misfires_total", {}, static_cast<double>(d.missed));
    }
    if (!d.fireMs) return;
    metrics.increment("wxbridge_schedule_fires_total", {{"outcome", fireOutcome(d)}});
    metrics.observe("wxbridge_schedule_fire_lag_seconds", {},
                    static_cast<double>(nowMs - *d.fireMs) / 1000.0);
  };
}

}  // namespace wxb
