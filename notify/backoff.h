// When to try a message again: exponential backoff with equal jitter after a transient failure,
// and the end of a 45009 pause (the platform's daily quotas reset at midnight China time).
// Pure functions over times in Unix milliseconds: thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace wxb {

// The wait before attempt `attempt` + 1 after `attempt` failed (attempt >= 1): half of
// min(maxMs, baseMs * 2^(attempt-1)) plus `jitter` (in [0, 1)) times the other half. Equal
// jitter keeps a floor under the wait while spreading senders that failed together.
int64_t retryDelayMs(int attempt, int64_t baseMs, int64_t maxMs, double jitter);

// The next midnight in Asia/Shanghai strictly after nowMs.
int64_t nextChinaMidnightMs(int64_t nowMs);

// The platform's day (China time) of nowMs, "2026-11-21": the day daily quotas count in.
std::string chinaDayOf(int64_t nowMs);

// How long a 45009 pauses template sends: until the next China midnight - except in the first
// minutes after a midnight, when a 45009 more likely means our clock runs ahead of the
// platform's than a quota spent in minutes, and a short pause is retried instead of a whole day.
int64_t quotaPauseUntilMs(int64_t nowMs);

inline constexpr int64_t kQuotaGraceAfterMidnightMs = 15 * 60'000;
inline constexpr int64_t kQuotaGracePauseMs = 60'000;

}  // namespace wxb
