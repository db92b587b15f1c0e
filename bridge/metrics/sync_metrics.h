// The follower sync's Prometheus metrics: syncMetricsHooks() declares them in a registry and
// returns the SyncRunner hooks that keep them current (progress of the run in flight, runs by
// final state, the time of the last completed run). Called once by Services::open. The hooks
// are thread-safe because Metrics is.
#pragma once

#include "bridge/metrics/metrics.h"
#include "sync/sync_runner.h"

namespace wxb {

SyncHooks syncMetricsHooks(Metrics& metrics);

}  // namespace wxb
