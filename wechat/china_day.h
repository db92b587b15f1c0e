// The platform's day. Its daily limits - API quotas (45009), the 20 forced token refreshes -
// reset at midnight China time (Asia/Shanghai: UTC+8, no daylight saving), whatever the
// `timezone` setting says. Used by the token service (its forced-refresh count per day) and
// the outbox sender (how long a 45009 pauses sends). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace wxb {

// The China-time date of Unix ms `nowMs` as YYYY-MM-DD, e.g. "2026-11-22" from 16:00 UTC on
// 2026-11-21 onwards.
std::string chinaDay(int64_t nowMs);

// Unix ms of the first China-time midnight strictly after `nowMs`.
int64_t nextChinaMidnightMs(int64_t nowMs);

}  // namespace wxb
