// How close together a cron expression fires: user-set reminders (notify/schedules/) refuse an
// expression that fires more often than `schedules.min_interval_seconds`. Pure functions over
// an immutable CronExpr: thread-safe.
//
// The gap between two consecutive fires is the longer of the real time and the wall-clock time
// between them, so a daily reminder stays daily over a 23-hour spring-forward day and an hourly
// one stays hourly through a repeated fall-back hour. Measured that way, a gap can only be
// shorter than the expression's pattern in one place: after a spring-forward gap, a fire moved
// to the first instant after the gap (cron's rule for wall times that do not exist, see
// docs/cron.md) can come just before the next ordinary fire, e.g. `30 2,3 * * *` in New York on
// 2026-03-08 fires at 03:00 (for 02:30) and at 03:30. So the search has two parts: the pattern
// itself, exact from the fields (times of day, and whether two consecutive days can both fire),
// and the real fires at each spring-forward change of the zone within the window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cron/cron_expr.h"

namespace date {
class time_zone;
}

namespace wxb {

// Two consecutive fires closer together than asked for.
struct CronGap {
  int64_t seconds = 0;  // the gap
  // Where it happens, for a person: "09:00:00 and 09:00:30" (times of day of the pattern),
  // "23:59:00 and 00:00:00 the next day", or two ISO 8601 instants at a daylight-saving change.
  std::string where;
};

// The shortest gap under `minSeconds` (>= 1) between consecutive fires of `expr` in `zone`
// (nullptr: UTC) at or after `fromMs` and, when given, at or before `untilMs` (Unix ms), or
// nullopt when no two consecutive fires come closer than `minSeconds`. Daylight-saving changes
// are known to date/tz through 2037; later years have none. An expression that never fires has
// no gap. Takes at most a few milliseconds, even for an expression that fires on three days a
// week at both ends of the day (its days are searched for a consecutive pair over 401 years).
std::optional<CronGap> findGapBelow(const CronExpr& expr, const date::time_zone* zone,
                                    int64_t fromMs, std::optional<int64_t> untilMs,
                                    int64_t minSeconds);

}  // namespace wxb
