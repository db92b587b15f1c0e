// CronExpr: a parsed cron expression and its evaluation in an IANA time zone. The scheduler
// (cron/scheduler.h), the `wxbridge cron` command and the user-set reminders parse schedules
// with CronExpr::parse and ask nextAfter() for fire times.
//
// Grammar (docs/cron.md has the full reference): 5 fields (Unix: minute hour day-of-month month
// day-of-week), 6 fields (a leading second field), or Quartz 6-7 fields (second minute hour
// day-of-month month day-of-week [year]) with '?'. Numbering of day-of-week: Quartz (1-7 =
// SUN-SAT) for 7 fields or when '?' appears in day-of-month or day-of-week, Unix (0-7, 0 and 7 =
// SUN) otherwise. Aliases @yearly @annually @monthly @weekly @daily @midnight @hourly.
//
// A CronExpr is an immutable value: copying is cheap and every const method is thread-safe.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace wxb {

// Why an expression was rejected. `field` names the field ("day-of-month", ...) or is empty
// when the expression as a whole is wrong; `message` is the full text for an operator, e.g.
// "day-of-month: 32 is out of range 1-31".
struct CronParseError {
  std::string field;
  std::string message;
};

// The years cron covers: a year field may name only these, nextAfter() returns no fire time
// after the last, and `wxbridge cron --from` must fall within them.
inline constexpr int kCronMinYear = 1970;
inline constexpr int kCronMaxYear = 2199;

// The parsed form: which values each field allows, plus the day specials (L, W, #). Bit n of a
// mask allows value n; weekdays are stored 0 = Sunday whatever the input numbering was.
struct CronFields {
  uint64_t seconds = 0;
  uint64_t minutes = 0;
  uint64_t hours = 0;
  uint64_t daysOfMonth = 0;
  uint64_t months = 0;
  uint64_t daysOfWeek = 0;
  std::vector<int> lastDayOffsets;      // "L" is 0, "L-3" is 3: days before the month's last day
  std::vector<int> nearestWeekdays;     // "15W": the weekday nearest the 15th, within the month
  bool lastWeekdayOfMonth = false;      // "LW"
  uint64_t lastWeekdayInMonth = 0;      // "5L"/"FRIL": bit w = last such weekday of the month
  std::array<uint8_t, 7> nthWeekday{};  // "MON#2": bit 2 of nthWeekday[1]
  // Vixie cron rule: a day field starting with '*' (or being '?') does not restrict the day,
  // and only when both day fields restrict it does a day match if EITHER matches.
  bool domUnrestricted = true;
  bool dowUnrestricted = true;
  std::optional<std::bitset<kCronMaxYear - kCronMinYear + 1>> years;  // absent: every year
  bool quartz = false;  // day-of-week was read with Quartz numbering
};

class CronExpr {
 public:
  // Parses `text`. On failure returns an error naming the field and the problem.
  static std::expected<CronExpr, CronParseError> parse(std::string_view text);

  // The next fire time strictly after `afterMs` (Unix ms), evaluated as wall-clock time in
  // `zone` (nullptr means UTC). Fire times are whole seconds. Returns nullopt when the
  // expression never fires again (a past year, February 30th).
  //
  // Fire times end with kCronMaxYear: none after it is returned.
  //
  // Daylight saving follows the Vixie cron distinction between wildcard jobs and fixed-time
  // ones, decided by the hour field's values: an expression that fires in every hour of the day
  // fires in both passes of a repeated (fall-back) hour and skips the wall times of a
  // spring-forward gap, as its next ordinary fire is less than an hour away. Any other
  // expression fires once at the first occurrence of a repeated wall time, and once at the
  // first instant after a gap for wall times inside it.
  std::optional<int64_t> nextAfter(int64_t afterMs, const date::time_zone* zone) const;

  const std::string& text() const { return text_; }
  const CronFields& fields() const { return fields_; }

 private:
  CronExpr(std::string text, CronFields fields)
      : text_(std::move(text)), fields_(std::move(fields)) {}

  static std::expected<CronExpr, CronParseError> parseAlias(std::string_view alias);

  // Calendar search in local wall time; see cron_expr.cpp.
  struct Cursor;
  bool yearAllowed(int year) const;
  std::optional<int> nextAllowedYear(int fromYear) const;
  bool dayMatches(int year, unsigned month, unsigned day) const;
  bool domMatches(int year, unsigned month, unsigned day) const;
  bool dowMatches(int year, unsigned month, unsigned day) const;
  bool advanceToAllowedDay(Cursor& c, int lastYear) const;
  bool advanceToAllowedTime(Cursor& c) const;
  std::optional<int64_t> nextLocalMatch(int64_t fromLocalSec, int lastYear) const;
  std::optional<int64_t> nextInSecondPass(int64_t afterSec, std::optional<int64_t> found,
                                          const date::time_zone* zone, int lastYear) const;

  std::string text_;
  CronFields fields_;
};

}  // namespace wxb
