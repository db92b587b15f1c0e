#include "cron/iso_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <cstdio>
#include <optional>

namespace wxb {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string formatOffset(int64_t offsetSec) {
  char sign = offsetSec < 0 ? '-' : '+';
  int64_t abs = offsetSec < 0 ? -offsetSec : offsetSec;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, int(abs / 3600), int(abs / 60 % 60));
  std::string out = buf;
  // A few historical offsets have seconds (Monrovia was -00:44:30 until 1972).
  if (abs % 60 != 0) out += ":" + std::string(abs % 60 < 10 ? "0" : "") + std::to_string(abs % 60);
  return out;
}

// Reads the fixed-width numbers and separators of an ISO 8601 time, left to right.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::optional<int> digits(size_t count) {
    if (pos_ + count > text_.size()) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
      char c = text_[pos_ + i];
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    return value;
  }

  bool consume(std::string_view chars) {
    if (atEnd() || chars.find(text_[pos_]) == std::string_view::npos) return false;
    ++pos_;
    return true;
  }

  // Milliseconds of a fraction of a second; digits past the third are dropped.
  int fractionMs() {
    int ms = 0;
    for (int scale = 100; !atEnd() && std::isdigit(static_cast<unsigned char>(text_[pos_]));
         scale /= 10) {
      ms += (text_[pos_++] - '0') * scale;
    }
    return ms;
  }

  bool atEnd() const { return pos_ == text_.size(); }
  bool peek(char c) const { return !atEnd() && text_[pos_] == c; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct WallTime {
  int year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
};

// Reads the date and optional time of day; the reader is left at the offset, if any.
std::expected<WallTime, std::string> readWallTime(Reader& r) {
  WallTime t;
  auto y = r.digits(4);
  if (!y || !r.consume("-")) return std::unexpected("expected a date like 2026-03-08");
  auto mo = r.digits(2);
  if (!mo || !r.consume("-")) return std::unexpected("expected a date like 2026-03-08");
  auto d = r.digits(2);
  if (!d) return std::unexpected("expected a date like 2026-03-08");
  t.year = *y, t.month = *mo, t.day = *d;
  if (r.atEnd()) return t;
  if (!r.consume("Tt ")) return std::unexpected("expected 'T' between the date and the time");
  auto h = r.digits(2);
  if (!h || !r.consume(":")) return std::unexpected("expected a time like 01:59 or 01:59:00");
  auto mi = r.digits(2);
  if (!mi) return std::unexpected("expected a time like 01:59 or 01:59:00");
  t.hour = *h, t.minute = *mi;
  if (!r.consume(":")) return t;
  auto s = r.digits(2);
  if (!s) return std::unexpected("expected two digits of seconds");
  t.second = *s;
  if (r.consume(".,")) t.ms = r.fractionMs();
  return t;
}

std::expected<void, std::string> checkRanges(const WallTime& t) {
  if (t.month < 1 || t.month > 12) return std::unexpected("month must be 01-12");
  auto ymd = date::year{t.year} / date::month{unsigned(t.month)} / date::day{unsigned(t.day)};
  if (!ymd.ok()) return std::unexpected("no such day in that month");
  if (t.hour > 23 || t.minute > 59 || t.second > 59) {
    return std::unexpected("time of day out of range");
  }
  return {};
}

// The UTC offset in seconds ("Z", "+08:00", "+0800", "+08"), nullopt when there is none.
std::expected<std::optional<int64_t>, std::string> readOffset(Reader& r) {
  if (r.atEnd()) return std::optional<int64_t>{};
  if (r.consume("Zz")) return std::optional<int64_t>{0};
  bool negative = r.peek('-');
  if (!r.consume("+-")) return std::unexpected("expected 'Z' or an offset like -05:00");
  auto h = r.digits(2);
  if (!h) return std::unexpected("expected an offset like -05:00");
  int minutes = 0;
  int seconds = 0;
  if (!r.atEnd()) {
    bool colon = r.consume(":");
    auto m = r.digits(2);
    if (!m) return std::unexpected("expected an offset like -05:00");
    minutes = *m;
    // The seconds formatIsoTime prints for the odd historical offset (Monrovia's -00:44:30).
    if (colon && r.consume(":")) {
      auto s = r.digits(2);
      if (!s) return std::unexpected("expected an offset like -05:00");
      seconds = *s;
    }
  }
  if (*h > 23 || minutes > 59 || seconds > 59) return std::unexpected("offset out of range");
  int64_t offset = *h * 3600 + minutes * 60 + seconds;
  return std::optional<int64_t>{negative ? -offset : offset};
}

}  // namespace

int64_t toWallSec(int64_t utcSec, const date::time_zone* zone) {
  if (zone == nullptr) return utcSec;
  auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{utcSec}});
  return utcSec + info.offset.count();
}

int64_t wallToUtcSec(int64_t wallSec, const date::time_zone* zone) {
  if (zone == nullptr) return wallSec;
  auto info = zone->get_info(date::local_seconds{std::chrono::seconds{wallSec}});
  if (info.result == date::local_info::nonexistent) {
    return info.first.end.time_since_epoch().count();
  }
  return wallSec - info.first.offset.count();
}

namespace {

// "YYYY-MM-DDTHH:MM:SS" of a wall time given as seconds since 1970-01-01T00:00 (local).
std::string formatWallTime(int64_t localSec) {
  int64_t days = floorDiv(localSec, kSecondsPerDay);
  int64_t tod = localSec - days * kSecondsPerDay;
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(tod / 3600), int(tod / 60 % 60),
                int(tod % 60));
  return buf;
}

// ".250" for 250 ms.
std::string formatMillis(int64_t millis) {
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03d", int(millis));
  return buf;
}

}  // namespace

std::string formatIsoTime(int64_t ms, const date::time_zone* zone) {
  int64_t sec = floorDiv(ms, 1000);
  int64_t offset = 0;
  if (zone != nullptr) {
    offset = zone->get_info(date::sys_seconds{std::chrono::seconds{sec}}).offset.count();
  }
  std::string out = formatWallTime(sec + offset);
  if (int64_t millis = ms - sec * 1000; millis != 0) out += formatMillis(millis);
  return out + formatOffset(offset);
}

std::string formatIsoUtc(int64_t ms) {
  int64_t sec = floorDiv(ms, 1000);
  return formatWallTime(sec) + formatMillis(ms - sec * 1000) + "Z";
}

// Whether formatIsoTime prints the instant with a four-digit year in UTC and in `zone`: near
// 0000-01-01 and 9999-12-31 an offset carries an instant into year -1 or 10000 (found by the
// iso_time fuzz target), whose text would not read back.
bool printsBack(int64_t utcSec, const date::time_zone* zone) {
  static const int64_t first =
      date::sys_days{date::year{0} / 1 / 1}.time_since_epoch().count() * kSecondsPerDay;
  static const int64_t end =
      date::sys_days{date::year{10000} / 1 / 1}.time_since_epoch().count() * kSecondsPerDay;
  for (int64_t wall : {utcSec, toWallSec(utcSec, zone)}) {
    if (wall < first || wall >= end) return false;
  }
  return true;
}

std::expected<int64_t, std::string> parseIsoTime(std::string_view text,
                                                 const date::time_zone* zone) {
  Reader reader(text);
  auto wall = readWallTime(reader);
  if (!wall) return std::unexpected(wall.error());
  if (auto ok = checkRanges(*wall); !ok) return std::unexpected(ok.error());
  auto offset = readOffset(reader);
  if (!offset) return std::unexpected(offset.error());
  if (!reader.atEnd()) return std::unexpected("unexpected text after the time");
  auto days = date::sys_days{date::year{wall->year} / date::month{unsigned(wall->month)} /
                             date::day{unsigned(wall->day)}};
  int64_t localSec = days.time_since_epoch().count() * kSecondsPerDay + wall->hour * 3600 +
                     wall->minute * 60 + wall->second;
  int64_t utcSec = offset->has_value() ? localSec - **offset : wallToUtcSec(localSec, zone);
  if (!printsBack(utcSec, zone)) {
    return std::unexpected(
        "out of range: the time falls outside the years 0000-9999 in UTC or "
        "in the zone");
  }
  return utcSec * 1000 + wall->ms;
}

}  // namespace wxb
