// CronExpr evaluation: finds the next matching wall-clock time field by field (year, month,
// day, then time of day), so a search skips whole months and days instead of stepping minute
// by minute, then maps that wall time to an instant with the zone's daylight-saving rules.
#include "cron/cron_expr.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <bit>

#include "cron/iso_time.h"

namespace wxb {
namespace {

// Any pattern of days repeats in the 400-year Gregorian cycle, so a search that finds nothing
// in 401 years will never find anything.
constexpr int kSearchYears = 401;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr uint64_t kEveryHour = (uint64_t{1} << 24) - 1;

// The lowest set bit of `mask` at or above `from`, or -1.
int nextBit(uint64_t mask, int from) {
  if (from >= 64) return -1;
  uint64_t rest = mask & (~uint64_t{0} << from);
  return rest == 0 ? -1 : std::countr_zero(rest);
}

std::optional<int64_t> earlier(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

bool hasBit(uint64_t mask, unsigned bit) { return (mask >> bit & 1) != 0; }

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

unsigned lastDayOf(int year, unsigned month) {
  return static_cast<unsigned>((date::year{year} / date::month{month} / date::last).day());
}

// 0 = Sunday.
unsigned weekdayOf(int year, unsigned month, unsigned day) {
  return date::weekday{date::sys_days{date::year{year} / date::month{month} / date::day{day}}}
      .c_encoding();
}

// Quartz "15W": the weekday nearest the given day without leaving the month, so "1W" on a
// Saturday is Monday the 3rd and a Sunday month-end moves back to Friday.
unsigned nearestWeekday(int year, unsigned month, unsigned day, unsigned lastDay) {
  unsigned wd = weekdayOf(year, month, day);
  if (wd == 6) return day == 1 ? 3 : day - 1;
  if (wd == 0) return day == lastDay ? day - 2 : day + 1;
  return day;
}

unsigned lastWeekday(int year, unsigned month, unsigned lastDay) {
  unsigned wd = weekdayOf(year, month, lastDay);
  return wd == 6 ? lastDay - 1 : wd == 0 ? lastDay - 2 : lastDay;
}

// How a matching wall time maps to an instant: `utcSec` is the fire time (absent when the
// wall time is skipped) and `resumeLocalSec` is where the wall-time search continues.
struct Resolved {
  std::optional<int64_t> utcSec;
  int64_t resumeLocalSec;
};

// Maps the matching wall time `localSec` to the first of its instants after `afterSec`.
Resolved resolveLocal(int64_t localSec, int64_t afterSec, const date::time_zone* zone,
                      bool firesEveryHour) {
  if (zone == nullptr) return {localSec, localSec + 1};
  auto info = zone->get_info(date::local_seconds{std::chrono::seconds{localSec}});
  int64_t transition = info.first.end.time_since_epoch().count();
  switch (info.result) {
    case date::local_info::unique:
      return {localSec - info.first.offset.count(), localSec + 1};
    case date::local_info::ambiguous: {
      int64_t first = localSec - info.first.offset.count();
      if (first > afterSec) return {first, localSec + 1};
      // The first occurrence has passed. An every-hour expression fires again in the second
      // pass; a fixed-time one has fired, and so have all its repeated wall times.
      if (firesEveryHour) return {localSec - info.second.offset.count(), localSec + 1};
      return {std::nullopt, transition + info.first.offset.count()};
    }
    default:  // nonexistent: inside a spring-forward gap
      if (firesEveryHour) return {std::nullopt, transition + info.second.offset.count()};
      return {transition, localSec + 1};
  }
}

// A fall-back transition after `afterSec` that begins a second pass of wall times before the
// search would come back to them: the wall times [beginLocalSec, endLocalSec) happen again from
// `transitionSec` on. Absent when the next transition is not a fall-back.
struct SecondPass {
  int64_t transitionSec;
  int64_t beginLocalSec;
  int64_t endLocalSec;
};

std::optional<SecondPass> nextSecondPass(int64_t afterSec, const date::time_zone* zone) {
  if (zone == nullptr) return std::nullopt;
  auto before = zone->get_info(date::sys_seconds{std::chrono::seconds{afterSec}});
  auto after = zone->get_info(before.end);
  if (after.offset >= before.offset) return std::nullopt;
  int64_t transition = before.end.time_since_epoch().count();
  return SecondPass{transition, transition + after.offset.count(),
                    transition + before.offset.count()};
}

}  // namespace

// A position in local wall time during the search.
struct CronExpr::Cursor {
  int year;
  unsigned month;
  unsigned day;
  int hour = 0;
  int minute = 0;
  int second = 0;

  static Cursor at(int64_t localSec) {
    int64_t days = floorDiv(localSec, kSecondsPerDay);
    int64_t tod = localSec - days * kSecondsPerDay;
    date::year_month_day ymd{date::sys_days{date::days{days}}};
    return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
            int(tod / 3600), int(tod / 60 % 60),    int(tod % 60)};
  }

  int64_t localSec() const {
    auto days = date::sys_days{date::year{year} / date::month{month} / date::day{day}};
    return days.time_since_epoch().count() * kSecondsPerDay + hour * 3600 + minute * 60 + second;
  }

  void startMonth(int y, unsigned m) { *this = Cursor{y, m, 1}; }

  void nextMonth() { month == 12 ? startMonth(year + 1, 1) : startMonth(year, month + 1); }

  void nextDay() {
    if (day == lastDayOf(year, month)) return nextMonth();
    *this = Cursor{year, month, day + 1};
  }
};

bool CronExpr::yearAllowed(int year) const {
  if (!fields_.years) return true;
  return year >= kCronMinYear && year <= kCronMaxYear &&
         fields_.years->test(static_cast<size_t>(year - kCronMinYear));
}

std::optional<int> CronExpr::nextAllowedYear(int fromYear) const {
  for (int y = std::max(fromYear, kCronMinYear); y <= kCronMaxYear; ++y) {
    if (yearAllowed(y)) return y;
  }
  return std::nullopt;
}

bool CronExpr::domMatches(int year, unsigned month, unsigned day) const {
  if (hasBit(fields_.daysOfMonth, day)) return true;
  unsigned last = lastDayOf(year, month);
  for (int offset : fields_.lastDayOffsets) {
    if (static_cast<int>(last) - offset == static_cast<int>(day)) return true;
  }
  if (fields_.lastWeekdayOfMonth && day == lastWeekday(year, month, last)) return true;
  for (int target : fields_.nearestWeekdays) {
    // "31W" in a 30-day month does not fire, as "31" does not.
    if (static_cast<unsigned>(target) <= last &&
        day == nearestWeekday(year, month, static_cast<unsigned>(target), last)) {
      return true;
    }
  }
  return false;
}

bool CronExpr::dowMatches(int year, unsigned month, unsigned day) const {
  unsigned wd = weekdayOf(year, month, day);
  if (hasBit(fields_.daysOfWeek, wd)) return true;
  if (hasBit(fields_.lastWeekdayInMonth, wd) && day + 7 > lastDayOf(year, month)) return true;
  return hasBit(fields_.nthWeekday[wd], (day - 1) / 7 + 1);
}

bool CronExpr::dayMatches(int year, unsigned month, unsigned day) const {
  bool dom = domMatches(year, month, day);
  bool dow = dowMatches(year, month, day);
  if (fields_.domUnrestricted || fields_.dowUnrestricted) return dom && dow;
  return dom || dow;
}

// Moves `c` to the first allowed day at or after it (resetting the time of day when it moves).
// Returns false when there is none up to `lastYear`.
bool CronExpr::advanceToAllowedDay(Cursor& c, int lastYear) const {
  while (c.year <= lastYear) {
    if (!yearAllowed(c.year)) {
      auto year = nextAllowedYear(c.year + 1);
      if (!year || *year > lastYear) return false;
      c.startMonth(*year, 1);
      continue;
    }
    int month = nextBit(fields_.months, static_cast<int>(c.month));
    if (month < 0) {
      c.startMonth(c.year + 1, 1);
      continue;
    }
    if (static_cast<unsigned>(month) != c.month) c.startMonth(c.year, static_cast<unsigned>(month));
    unsigned last = lastDayOf(c.year, c.month);
    for (unsigned day = c.day; day <= last; ++day) {
      if (!dayMatches(c.year, c.month, day)) continue;
      if (day != c.day) c = Cursor{c.year, c.month, day};
      return true;
    }
    c.nextMonth();
  }
  return false;
}

// Moves `c` to the first allowed time of day at or after it; false if none is left today.
bool CronExpr::advanceToAllowedTime(Cursor& c) const {
  for (int h = nextBit(fields_.hours, c.hour); h >= 0; h = nextBit(fields_.hours, h + 1)) {
    int fromMinute = h == c.hour ? c.minute : 0;
    for (int m = nextBit(fields_.minutes, fromMinute); m >= 0;
         m = nextBit(fields_.minutes, m + 1)) {
      int s = nextBit(fields_.seconds, h == c.hour && m == c.minute ? c.second : 0);
      if (s < 0) continue;
      c.hour = h;
      c.minute = m;
      c.second = s;
      return true;
    }
  }
  return false;
}

std::optional<int64_t> CronExpr::nextLocalMatch(int64_t fromLocalSec, int lastYear) const {
  Cursor c = Cursor::at(fromLocalSec);
  while (advanceToAllowedDay(c, lastYear)) {
    if (advanceToAllowedTime(c)) return c.localSec();
    c.nextDay();
  }
  return std::nullopt;
}

std::optional<int64_t> CronExpr::nextAfter(int64_t afterMs, const date::time_zone* zone) const {
  int64_t afterSec = floorDiv(afterMs, 1000);
  // Wall times before local(afterSec) all map to instants at or before afterSec.
  int64_t localSec = toWallSec(afterSec, zone) + 1;
  int lastYear = std::min(Cursor::at(localSec).year + kSearchYears, kCronMaxYear);
  bool firesEveryHour = (fields_.hours & kEveryHour) == kEveryHour;
  std::optional<int64_t> next;
  while (auto candidate = nextLocalMatch(localSec, lastYear)) {
    Resolved resolved = resolveLocal(*candidate, afterSec, zone, firesEveryHour);
    if (resolved.utcSec && *resolved.utcSec > afterSec) {
      next = *resolved.utcSec;
      break;
    }
    localSec = resolved.resumeLocalSec;
  }
  if (firesEveryHour) next = earlier(next, nextInSecondPass(afterSec, next, zone, lastYear));
  if (!next) return std::nullopt;
  return *next * 1000;
}

// From inside the first pass of a repeated hour, the search above walks on past the repeated
// wall times; an every-hour expression fires in the second pass too, which may come before
// `found` (the search's answer, in seconds).
std::optional<int64_t> CronExpr::nextInSecondPass(int64_t afterSec, std::optional<int64_t> found,
                                                  const date::time_zone* zone, int lastYear) const {
  auto pass = nextSecondPass(afterSec, zone);
  if (!pass || (found && *found <= pass->transitionSec)) return std::nullopt;
  auto local = nextLocalMatch(pass->beginLocalSec, lastYear);
  if (!local || *local >= pass->endLocalSec) return std::nullopt;
  return pass->transitionSec + (*local - pass->beginLocalSec);
}

}  // namespace wxb
