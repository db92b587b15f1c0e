// The reminders' Prometheus metrics: schedules by state (a collector that asks the store at
// scrape time, so every instance reports the shared table), fires by outcome, misfires, and the
// fire lag (enqueue time minus fire time). Called by Services::open (describe, the collector,
// the engine's observer). Thread-safe because Metrics is.
#pragma once

#include "bridge/metrics/metrics.h"
#include "notify/schedules/schedule_firing.h"
#include "store/schedules/schedules.h"

namespace wxb {

// Declares the metrics and registers the by-state collector over `schedules`.
void describeScheduleMetrics(Metrics& metrics, Schedules& schedules);

// The engine's hook: counts one fire decision of this instance - a fire as enqueued,
// unreachable or dropped (its template is no longer configured), its lag in seconds, and the
// fires it skipped as misfires.
ScheduleFireObserver scheduleFireObserver(Metrics& metrics);

}  // namespace wxb
