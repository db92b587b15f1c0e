#include "notify/quiet_hours.h"

#include <utility>

#include "cron/iso_time.h"

namespace wxb {

namespace {

constexpr int64_t kSecondsPerDay = 86'400;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// "HH:MM" at text[0..5) as minutes after midnight, or -1.
int readClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':' || !isDigit(text[0]) || !isDigit(text[1]) ||
      !isDigit(text[3]) || !isDigit(text[4])) {
    return -1;
  }
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : -1;
}

// "HH:MM" of minutes after midnight (0-1439).
std::string formatClock(int minute) {
  const int h = minute / 60, m = minute % 60;
  return {char('0' + h / 10), char('0' + h % 10), ':', char('0' + m / 10), char('0' + m % 10)};
}

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The quiet span that starts on local day `day` (days since 1970-01-01), in Unix seconds.
std::pair<int64_t, int64_t> spanOfDay(const QuietHours& q, const date::time_zone* zone,
                                      int64_t day) {
  const int64_t endDay = q.endMinute <= q.startMinute ? day + 1 : day;
  return {wallToUtcSec(day * kSecondsPerDay + q.startMinute * 60, zone),
          wallToUtcSec(endDay * kSecondsPerDay + q.endMinute * 60, zone)};
}

}  // namespace

std::expected<std::optional<QuietHours>, std::string> parseQuietHours(std::string_view text) {
  if (text.empty()) return std::optional<QuietHours>{};
  const int start = text.size() == 11 && text[5] == '-' ? readClock(text.substr(0, 5)) : -1;
  const int end = start < 0 ? -1 : readClock(text.substr(6));
  if (end < 0) {
    return std::unexpected("expected HH:MM-HH:MM in 24-hour time, e.g. 22:00-08:00 (or empty)");
  }
  if (start == end) return std::unexpected("start and end are the same time");
  return QuietHours{start, end};
}

std::string formatQuietHours(const std::optional<QuietHours>& quiet) {
  if (!quiet) return "";
  return formatClock(quiet->startMinute) + "-" + formatClock(quiet->endMinute);
}

std::optional<int64_t> quietHoursEndAt(const QuietHours& quiet, const date::time_zone* zone,
                                       int64_t atMs) {
  const int64_t today = floorDiv(toWallSec(floorDiv(atMs, 1000), zone), kSecondsPerDay);
  // A span that contains atMs started today or, running past midnight, yesterday.
  for (int64_t day : {today - 1, today}) {
    auto [start, end] = spanOfDay(quiet, zone, day);
    if (start * 1000 <= atMs && atMs < end * 1000) return end * 1000;
  }
  return std::nullopt;
}

int64_t deliverableAt(const std::optional<QuietHours>& quiet, const date::time_zone* zone,
                      bool urgent, int64_t nowMs) {
  if (urgent || !quiet) return nowMs;
  return quietHoursEndAt(*quiet, zone, nowMs).value_or(nowMs);
}

}  // namespace wxb
