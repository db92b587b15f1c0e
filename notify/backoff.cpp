#include "notify/backoff.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>

namespace wxb {

int64_t retryDelayMs(int attempt, int64_t baseMs, int64_t maxMs, double jitter) {
  const int shift = std::clamp(attempt - 1, 0, 30);
  const int64_t ceiling = std::min(maxMs, baseMs << shift);
  const double unit = std::clamp(jitter, 0.0, 1.0);
  return ceiling / 2 + static_cast<int64_t>(unit * static_cast<double>(ceiling - ceiling / 2));
}

namespace {

const date::time_zone* chinaZone() {
  static const date::time_zone* zone = date::locate_zone("Asia/Shanghai");
  return zone;
}

}  // namespace

std::string chinaDayOf(int64_t nowMs) {
  using namespace std::chrono;
  const auto local = chinaZone()->to_local(sys_time<milliseconds>{milliseconds(nowMs)});
  return date::format("%F", date::floor<date::days>(local));
}

int64_t nextChinaMidnightMs(int64_t nowMs) {
  using namespace std::chrono;
  const date::time_zone* zone = chinaZone();
  const sys_time<milliseconds> now{milliseconds(nowMs)};
  const auto local = zone->to_local(now);
  const auto nextDay = date::floor<date::days>(local) + date::days(1);
  const auto midnight = zone->to_sys(nextDay, date::choose::earliest);
  return duration_cast<milliseconds>(midnight.time_since_epoch()).count();
}

int64_t quotaPauseUntilMs(int64_t nowMs) {
  const int64_t lastMidnight = nextChinaMidnightMs(nowMs) - 24 * 3'600'000;
  if (nowMs - lastMidnight < kQuotaGraceAfterMidnightMs) return nowMs + kQuotaGracePauseMs;
  return nextChinaMidnightMs(nowMs);
}

}  // namespace wxb
