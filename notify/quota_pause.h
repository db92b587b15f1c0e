// How long a 45009 (daily quota reached) pauses template sends: until the platform's quotas
// reset at the next China-time midnight (wechat/china_day.h). Pure functions over times in
// Unix milliseconds; thread-safe. Used by the outbox's send decision.
#pragma once

#include <cstdint>

namespace wxb {

// Until the next China midnight - except in the first minutes after a midnight, when a 45009
// more likely means our clock runs ahead of the platform's than a quota spent in minutes, and a
// short pause is retried instead of a whole day.
int64_t quotaPauseUntilMs(int64_t nowMs);

inline constexpr int64_t kQuotaGraceAfterMidnightMs = 15 * 60'000;
inline constexpr int64_t kQuotaGracePauseMs = 60'000;

}  // namespace wxb
