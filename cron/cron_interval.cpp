#include "cron/cron_interval.h"

#include <date/tz.h>

#include <array>
#include <bit>
#include <chrono>
#include <cstdio>
#include <vector>

#include "cron/iso_time.h"

namespace wxb {
namespace {

constexpr int64_t kDaySec = 86'400;
constexpr int64_t kDayMs = kDaySec * 1000;
// Day patterns repeat every 400 Gregorian years; cron's own search stops after 401.
constexpr int64_t kSearchMs = 401 * 366 * kDayMs;
// date/tz knows no daylight-saving change after 2037 (docs/cron.md); this bounds the walk
// over a zone's changes with room to spare.
constexpr int kMaxZoneChanges = 1'000;

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::vector<int64_t> valuesOf(uint64_t mask) {
  std::vector<int64_t> out;
  for (; mask != 0; mask &= mask - 1) out.push_back(std::countr_zero(mask));
  return out;
}

std::string timeOfDay(int64_t sec) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", int(sec / 3600), int(sec / 60 % 60),
                int(sec % 60));
  return buf;
}

// A day's fire times as seconds since midnight: each level (second, minute, hour) with its
// allowed values.
struct DayTimes {
  std::array<std::vector<int64_t>, 3> values;
  static constexpr std::array<int64_t, 3> kUnit{1, 60, 3600};

  int64_t first() const { return sum(0, 3, true); }
  int64_t last() const { return sum(0, 3, false); }
  // The earliest (or latest) offset of levels [from, to) within their unit.
  int64_t sum(size_t from, size_t to, bool earliest) const {
    int64_t total = 0;
    for (size_t i = from; i < to; ++i) {
      total += (earliest ? values[i].front() : values[i].back()) * kUnit[i];
    }
    return total;
  }
};

// The shortest gap between consecutive fires within one day: between two neighbouring values
// of one level, from the latest time of the levels below to their earliest.
std::optional<CronGap> shortestWithinDay(const DayTimes& day) {
  std::optional<CronGap> best;
  for (size_t level = 0; level < 3; ++level) {
    const auto& v = day.values[level];
    int64_t outer = day.sum(level + 1, 3, true);
    for (size_t k = 1; k < v.size(); ++k) {
      int64_t from = outer + v[k - 1] * DayTimes::kUnit[level] + day.sum(0, level, false);
      int64_t to = outer + v[k] * DayTimes::kUnit[level] + day.sum(0, level, true);
      if (!best || to - from < best->seconds) {
        best = CronGap{to - from, timeOfDay(from) + " and " + timeOfDay(to)};
      }
    }
  }
  return best;
}

// Whether two consecutive calendar days both fire, searching wall times (ms as if UTC) from
// `fromLocalMs` to `untilLocalMs`. Each step jumps from one firing day to the next.
bool hasConsecutiveDays(const CronExpr& expr, int64_t lastTimeOfDay, int64_t fromLocalMs,
                        int64_t untilLocalMs) {
  for (auto fire = expr.nextAfter(fromLocalMs - 1, nullptr); fire && *fire <= untilLocalMs;) {
    int64_t day = floorDiv(*fire, kDayMs);
    fire = expr.nextAfter(day * kDayMs + lastTimeOfDay * 1000, nullptr);
    if (fire && *fire <= untilLocalMs && floorDiv(*fire, kDayMs) == day + 1) return true;
  }
  return false;
}

int64_t localMs(int64_t ms, const date::time_zone* zone) {
  if (zone == nullptr) return ms;
  auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{floorDiv(ms, 1000)}});
  return ms + info.offset.count() * 1000;
}

// The gap of the pattern itself: within a day, or from the last fire of a day to the first of
// the next when consecutive days can both fire.
std::optional<CronGap> patternGap(const CronExpr& expr, const date::time_zone* zone, int64_t fromMs,
                                  std::optional<int64_t> untilMs, int64_t minSeconds) {
  const CronFields& f = expr.fields();
  DayTimes day{{valuesOf(f.seconds), valuesOf(f.minutes), valuesOf(f.hours)}};
  for (const auto& v : day.values) {
    if (v.empty()) return std::nullopt;
  }
  std::optional<CronGap> best = shortestWithinDay(day);
  int64_t overnight = kDaySec - day.last() + day.first();
  if (overnight < minSeconds && (!best || overnight < best->seconds)) {
    int64_t from = localMs(fromMs, zone);
    int64_t until = untilMs ? localMs(*untilMs, zone) : from + kSearchMs;
    if (hasConsecutiveDays(expr, day.last(), from, std::min(until, from + kSearchMs))) {
      best = CronGap{overnight,
                     timeOfDay(day.last()) + " and " + timeOfDay(day.first()) + " the next day"};
    }
  }
  if (best && best->seconds >= minSeconds) return std::nullopt;
  return best;
}

// A fire at the very instant a spring-forward change ends (moved there from a wall time in
// the gap) and the fire after it, if they are closer than `minSeconds`.
std::optional<CronGap> gapAfterChange(const CronExpr& expr, const date::time_zone* zone,
                                      int64_t changeMs, std::optional<int64_t> untilMs,
                                      int64_t minSeconds) {
  auto atChange = expr.nextAfter(changeMs - 1, zone);
  if (!atChange || *atChange != changeMs) return std::nullopt;
  auto next = expr.nextAfter(changeMs, zone);
  if (!next || (untilMs && *next > *untilMs) || *next - changeMs >= minSeconds * 1000) {
    return std::nullopt;
  }
  return CronGap{(*next - changeMs) / 1000,
                 formatIsoTime(changeMs, zone) + " and " + formatIsoTime(*next, zone)};
}

std::optional<CronGap> daylightSavingGap(const CronExpr& expr, const date::time_zone* zone,
                                         int64_t fromMs, std::optional<int64_t> untilMs,
                                         int64_t minSeconds) {
  if (zone == nullptr) return std::nullopt;
  std::optional<CronGap> best;
  auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{floorDiv(fromMs, 1000)}});
  for (int i = 0; i < kMaxZoneChanges && info.end < date::sys_seconds::max(); ++i) {
    int64_t changeMs = info.end.time_since_epoch().count() * int64_t{1000};
    if ((untilMs && changeMs > *untilMs) || changeMs > fromMs + kSearchMs) break;
    auto after = zone->get_info(info.end);
    if (after.offset > info.offset) {
      auto gap = gapAfterChange(expr, zone, changeMs, untilMs, minSeconds);
      if (gap && (!best || gap->seconds < best->seconds)) best = gap;
    }
    info = after;
  }
  return best;
}

}  // namespace

std::optional<CronGap> findGapBelow(const CronExpr& expr, const date::time_zone* zone,
                                    int64_t fromMs, std::optional<int64_t> untilMs,
                                    int64_t minSeconds) {
  if (!expr.nextAfter(fromMs - 1, zone)) return std::nullopt;
  auto pattern = patternGap(expr, zone, fromMs, untilMs, minSeconds);
  auto changes = daylightSavingGap(expr, zone, fromMs, untilMs, minSeconds);
  if (pattern && (!changes || pattern->seconds <= changes->seconds)) return pattern;
  return changes;
}

}  // namespace wxb
