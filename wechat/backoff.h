// The wait before retrying a platform call: exponential, capped, with equal jitter - half of
// min(maxMs, baseMs * 2^(attempt-1)) for sure, plus a random share of the other half - so
// callers that failed together come back spread out but never at once. The one backoff of the
// platform client's own retries, the sync's per-call retries and the outbox's resends. Pure
// (backoffMs) or using a thread-local generator (jitteredBackoffMs); thread-safe.
#pragma once

#include <cstdint>

namespace wxb {

// The wait in ms after attempt `attempt` (>= 1) failed, `unit` in [0, 1] choosing where in the
// upper half it falls (clamped). baseMs and maxMs in ms; a ceiling of 0 gives 0.
int64_t backoffMs(int attempt, int64_t baseMs, int64_t maxMs, double unit);

// backoffMs() with a random unit.
int64_t jitteredBackoffMs(int attempt, int64_t baseMs, int64_t maxMs);

// A random unit in [0, 1) for backoffMs(), from a thread-local generator.
double backoffJitter();

}  // namespace wxb
