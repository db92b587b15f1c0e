#include "bridge/cli/cmd_cron.h"

#include <date/tz.h>

#include <charconv>
#include <expected>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "cron/cron_expr.h"
#include "cron/iso_time.h"
#include "cron/time_zone.h"

namespace wxb {
namespace {

struct CronArgs {
  std::string expr;
  std::optional<std::string> from;
  std::optional<std::string> count;
  std::optional<std::string> zone;
};

// Stores an option's value; accepts "--name value" and "--name=value".
std::expected<void, std::string> takeOption(const std::vector<std::string>& args, size_t& i,
                                            CronArgs& out) {
  std::string word = args[i];
  std::optional<std::string> value;
  if (size_t eq = word.find('='); eq != std::string::npos) {
    value = word.substr(eq + 1);
    word.resize(eq);
  }
  std::optional<std::string>* slot = word == "--from"    ? &out.from
                                     : word == "--count" ? &out.count
                                     : word == "--tz"    ? &out.zone
                                                         : nullptr;
  if (slot == nullptr) return std::unexpected("unknown option '" + word + "'");
  if (!value) {
    if (i + 1 >= args.size()) return std::unexpected(word + " needs a value");
    value = args[++i];
  }
  *slot = std::move(value);
  return {};
}

std::expected<CronArgs, std::string> parseArgs(const std::vector<std::string>& args) {
  CronArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].starts_with("--")) {
      if (auto ok = takeOption(args, i, parsed); !ok) return std::unexpected(ok.error());
    } else {
      parsed.expr += (parsed.expr.empty() ? "" : " ") + args[i];
    }
  }
  if (parsed.expr.empty()) return std::unexpected("missing the cron expression");
  return parsed;
}

std::expected<int, std::string> parseCount(const std::optional<std::string>& text) {
  if (!text) return 5;
  int count = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), count);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || count < 1 ||
      count > kMaxCronCount) {
    return std::unexpected("--count: expected a whole number 1-" + std::to_string(kMaxCronCount) +
                           ", got '" + *text + "'");
  }
  return count;
}

std::expected<const date::time_zone*, std::string> findZone(std::string_view name) {
  if (const date::time_zone* zone = findTimeZone(name)) return zone;
  return std::unexpected("--tz: unknown time zone '" + std::string(name) +
                         "' (expected an IANA name like Asia/Shanghai)");
}

// The year of `ms` on the wall clock of `zone`.
int wallYear(int64_t ms, const date::time_zone* zone) {
  auto instant = std::chrono::floor<std::chrono::seconds>(
      date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{ms}});
  auto local = date::floor<date::days>(zone->to_local(instant));
  return int(date::year_month_day{local}.year());
}

std::expected<int64_t, std::string> startTime(const std::optional<std::string>& from,
                                              const date::time_zone* zone, const Clock& clock) {
  if (!from) return clock.nowMs();
  auto ms = parseIsoTime(*from, zone);
  if (!ms) return std::unexpected("--from: cannot read '" + *from + "': " + ms.error());
  if (int year = wallYear(*ms, zone); year < kCronMinYear || year > kCronMaxYear) {
    return std::unexpected("--from: '" + *from + "' is in " + std::to_string(year) +
                           "; cron covers the years " + std::to_string(kCronMinYear) + "-" +
                           std::to_string(kCronMaxYear));
  }
  return *ms;
}

int printFireTimes(const CronExpr& expr, int64_t fromMs, int count, const date::time_zone* zone,
                   std::ostream& out, std::ostream& err) {
  int printed = 0;
  int64_t after = fromMs;
  for (; printed < count; ++printed) {
    auto next = expr.nextAfter(after, zone);
    if (!next) break;
    out << formatIsoTime(*next, zone) << '\n';
    after = *next;
  }
  if (printed < count) {
    err << "cron: '" << expr.text() << "' has no " << (printed == 0 ? "" : "more ")
        << "fire times after " << formatIsoTime(after, zone) << '\n';
  }
  return printed == 0 ? 1 : 0;
}

// Wrong words get the usage; a wrong value only the message naming it.
int usageError(std::ostream& err, const std::string& message, bool showUsage = false) {
  err << "cron: " << message << '\n';
  if (showUsage)
    err << "usage: wxbridge cron EXPR [--from ISO8601] [--count N] [--tz ZONE]\n" << kCronDetails;
  return 2;
}

}  // namespace

int runCronCommand(const std::vector<std::string>& args, const Clock& clock, std::ostream& out,
                   std::ostream& err, std::string_view defaultZone) {
  auto parsed = parseArgs(args);
  if (!parsed) return usageError(err, parsed.error(), true);
  auto count = parseCount(parsed->count);
  if (!count) return usageError(err, count.error());
  auto zone = findZone(parsed->zone ? *parsed->zone : std::string(defaultZone));
  if (!zone) return usageError(err, zone.error());
  auto expr = CronExpr::parse(parsed->expr);
  if (!expr) return usageError(err, "'" + parsed->expr + "': " + expr.error().message);
  auto from = startTime(parsed->from, *zone, clock);
  if (!from) return usageError(err, from.error());
  return printFireTimes(*expr, *from, *count, *zone, out, err);
}

}  // namespace wxb
