#include "wechat/china_day.h"

#include <date/date.h>

#include <chrono>

namespace wxb {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kChinaOffsetMs = 8 * 3'600'000;  // UTC+8 all year since 1992

// Days since 1970-01-01 in China time (floor division: right before 1970 too).
int64_t chinaDayNumber(int64_t nowMs) {
  const int64_t local = nowMs + kChinaOffsetMs;
  return local / kDayMs - (local % kDayMs < 0 ? 1 : 0);
}

}  // namespace

std::string chinaDay(int64_t nowMs) {
  const date::sys_days day{date::days{chinaDayNumber(nowMs)}};
  return date::format("%F", day);
}

int64_t nextChinaMidnightMs(int64_t nowMs) {
  return (chinaDayNumber(nowMs) + 1) * kDayMs - kChinaOffsetMs;
}

}  // namespace wxb
