// CronExpr::parse: text to CronFields. Evaluation lives in cron_expr.cpp.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include "cron/cron_expr.h"

namespace wxb {
namespace {

enum class Field { kSecond, kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek, kYear };

// One field's name and the numbers it accepts, in the numbering the text uses.
struct FieldDef {
  Field field;
  const char* name;
  int min;
  int max;
};

constexpr FieldDef kSecond{Field::kSecond, "second", 0, 59};
constexpr FieldDef kMinute{Field::kMinute, "minute", 0, 59};
constexpr FieldDef kHour{Field::kHour, "hour", 0, 23};
constexpr FieldDef kDayOfMonth{Field::kDayOfMonth, "day-of-month", 1, 31};
constexpr FieldDef kMonth{Field::kMonth, "month", 1, 12};
constexpr FieldDef kUnixDayOfWeek{Field::kDayOfWeek, "day-of-week", 0, 7};
constexpr FieldDef kQuartzDayOfWeek{Field::kDayOfWeek, "day-of-week", 1, 7};
constexpr FieldDef kYear{Field::kYear, "year", kCronMinYear, kCronMaxYear};

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

// The 5-field expansions of the aliases Vixie cron accepts (@reboot has no fire time: refused).
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kAliases = {{
    {"@YEARLY", "0 0 1 1 *"},
    {"@ANNUALLY", "0 0 1 1 *"},
    {"@MONTHLY", "0 0 1 * *"},
    {"@WEEKLY", "0 0 * * 0"},
    {"@DAILY", "0 0 * * *"},
    {"@MIDNIGHT", "0 0 * * *"},
    {"@HOURLY", "0 * * * *"},
}};

using Status = std::expected<void, CronParseError>;

std::unexpected<CronParseError> fieldError(const FieldDef& def, const std::string& message) {
  return std::unexpected(CronParseError{def.name, std::string(def.name) + ": " + message});
}

std::unexpected<CronParseError> exprError(const std::string& message) {
  return std::unexpected(CronParseError{"", message});
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::optional<int> parseNumber(std::string_view s) {
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

bool isDayField(const FieldDef& def) {
  return def.field == Field::kDayOfMonth || def.field == Field::kDayOfWeek;
}

// Parses one field's text into `out`. The text is upper-case already.
class FieldParser {
 public:
  FieldParser(const FieldDef& def, CronFields& out) : def_(def), out_(out) {}

  Status parse(std::string_view text) {
    if (text == "?") return allowAll();
    size_t start = 0;
    while (true) {
      size_t comma = text.find(',', start);
      std::string_view item = text.substr(start, comma - start);
      if (item.empty()) return fieldError(def_, "empty item in list " + quoted(text));
      if (auto status = parseItem(item); !status) return status;
      if (comma == std::string_view::npos) return {};
      start = comma + 1;
    }
  }

 private:
  // The largest value of the cycle; Unix weekday 7 is an alias of 0, not an eighth day.
  int cycleMax() const { return def_.field == Field::kDayOfWeek && def_.min == 0 ? 6 : def_.max; }

  Status allowAll() {
    if (!isDayField(def_) || !out_.quartz) {
      return fieldError(def_,
                        "'?' is only allowed in day-of-month or day-of-week of a "
                        "Quartz expression (6 or 7 fields)");
    }
    return addRange(def_.min, cycleMax(), 1);
  }

  Status parseItem(std::string_view item) {
    if (def_.field == Field::kDayOfMonth) {
      if (item.starts_with('L') || item.ends_with('W')) return parseDomSpecial(item);
    }
    if (def_.field == Field::kDayOfWeek) {
      if (item.ends_with('L') || item.find('#') != std::string_view::npos) {
        return parseDowSpecial(item);
      }
    }
    return parseRangeItem(item);
  }

  // "*", "A", "A-B", each optionally followed by "/STEP"; "A/STEP" means A up to the maximum.
  Status parseRangeItem(std::string_view item) {
    size_t slash = item.find('/');
    std::string_view base = item.substr(0, slash);
    int step = 1;
    if (slash != std::string_view::npos) {
      auto parsed = parseNumber(item.substr(slash + 1));
      if (!parsed || *parsed < 1) {
        return fieldError(def_, "step in " + quoted(item) + " must be a positive number");
      }
      step = *parsed;
    }
    if (base == "*") return addRange(def_.min, cycleMax(), step);
    size_t dash = base.find('-');
    auto lo = value(base.substr(0, dash));
    if (!lo) return std::unexpected(lo.error());
    if (dash == std::string_view::npos) {
      return addRange(*lo, slash == std::string_view::npos ? *lo : cycleMax(), step);
    }
    auto hi = value(base.substr(dash + 1));
    if (!hi) return std::unexpected(hi.error());
    return addRange(*lo, *hi, step);
  }

  // A number or (month, weekday) a three-letter name, checked against the field's range.
  std::expected<int, CronParseError> value(std::string_view token) {
    if (token.empty()) return fieldError(def_, "missing number");
    if (std::isalpha(static_cast<unsigned char>(token[0]))) return nameValue(token);
    auto number = parseNumber(token);
    if (!number) return fieldError(def_, quoted(token) + " is not a number");
    if (*number < def_.min || *number > def_.max) {
      return fieldError(def_, std::to_string(*number) + " is out of range " +
                                  std::to_string(def_.min) + "-" + std::to_string(def_.max));
    }
    return *number;
  }

  std::expected<int, CronParseError> nameValue(std::string_view token) {
    if (def_.field == Field::kMonth) {
      auto it = std::find(kMonthNames.begin(), kMonthNames.end(), token);
      if (it != kMonthNames.end()) return static_cast<int>(it - kMonthNames.begin()) + 1;
    }
    if (def_.field == Field::kDayOfWeek) {
      auto it = std::find(kDayNames.begin(), kDayNames.end(), token);
      if (it != kDayNames.end()) return static_cast<int>(it - kDayNames.begin()) + def_.min;
    }
    if (def_.field == Field::kMonth || def_.field == Field::kDayOfWeek) {
      return fieldError(def_, "unknown name " + quoted(token));
    }
    return fieldError(def_, quoted(token) + " is not a number");
  }

  // Adds lo..hi every `step`; lo > hi wraps around the cycle (FRI-MON, 22-2).
  Status addRange(int lo, int hi, int step) {
    if (lo <= hi) {
      for (int v = lo; v <= hi; v += step) allow(v);
      return {};
    }
    if (def_.field == Field::kYear) {
      return fieldError(def_, "range " + std::to_string(lo) + "-" + std::to_string(hi) +
                                  " ends before it starts");
    }
    int span = cycleMax() - def_.min + 1;
    int distance = ((hi - lo) % span + span) % span;
    for (int k = 0; k <= distance; k += step) allow(def_.min + (lo - def_.min + k) % span);
    return {};
  }

  // Records value v (in the text's numbering) in the field's mask.
  void allow(int v) {
    switch (def_.field) {
      case Field::kSecond:
        out_.seconds |= uint64_t{1} << v;
        break;
      case Field::kMinute:
        out_.minutes |= uint64_t{1} << v;
        break;
      case Field::kHour:
        out_.hours |= uint64_t{1} << v;
        break;
      case Field::kDayOfMonth:
        out_.daysOfMonth |= uint64_t{1} << v;
        break;
      case Field::kMonth:
        out_.months |= uint64_t{1} << v;
        break;
      case Field::kDayOfWeek:
        out_.daysOfWeek |= uint64_t{1} << weekday(v);
        break;
      case Field::kYear:
        if (!out_.years) out_.years.emplace();
        out_.years->set(static_cast<size_t>(v - kCronMinYear));
        break;
    }
  }

  // Text weekday to 0 = Sunday: Unix 0..7 (7 is Sunday again), Quartz 1..7.
  int weekday(int v) const { return def_.min == 0 ? v % 7 : v - 1; }

  // "L", "L-3", "LW", "15W".
  Status parseDomSpecial(std::string_view item) {
    if (item == "LW") {
      out_.lastWeekdayOfMonth = true;
    } else if (item == "L" || item.starts_with("L-")) {
      auto offset = item == "L" ? std::optional<int>(0) : parseNumber(item.substr(2));
      if (!offset || *offset < 0 || *offset > 30) {
        return fieldError(def_, quoted(item) + ": the offset after 'L-' must be 0-30");
      }
      out_.lastDayOffsets.push_back(*offset);
    } else if (item.size() > 1 && !item.starts_with('L')) {
      auto day = value(item.substr(0, item.size() - 1));
      if (!day) return std::unexpected(day.error());
      out_.nearestWeekdays.push_back(*day);
    } else {
      return fieldError(def_, quoted(item) + " is not valid; expected L, L-N, LW or NW (like 15W)");
    }
    return {};
  }

  // "L" (Saturday, the last day of the week), "5L"/"FRIL", "2#1"/"MON#1".
  Status parseDowSpecial(std::string_view item) {
    if (item == "L") {
      allow(def_.min == 0 ? 6 : 7);
      return {};
    }
    size_t hash = item.find('#');
    auto day = value(item.substr(0, hash == std::string_view::npos ? item.size() - 1 : hash));
    if (!day) return std::unexpected(day.error());
    if (hash == std::string_view::npos) {
      out_.lastWeekdayInMonth |= uint64_t{1} << weekday(*day);
      return {};
    }
    auto nth = parseNumber(item.substr(hash + 1));
    if (!nth || *nth < 1 || *nth > 5) {
      return fieldError(def_, quoted(item) + ": the number after '#' must be 1-5");
    }
    out_.nthWeekday[static_cast<size_t>(weekday(*day))] |= static_cast<uint8_t>(1u << *nth);
    return {};
  }

  const FieldDef& def_;
  CronFields& out_;
};

std::vector<std::string_view> splitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// The expression as written, with runs of blanks collapsed to one space.
std::string joinFields(const std::vector<std::string_view>& fields) {
  std::string out;
  for (std::string_view f : fields) out.append(out.empty() ? "" : " ").append(f);
  return out;
}

std::string upperCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lowerCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Quartz allows exactly one of the day fields to be '?'; Unix allows none (checked per field).
Status checkQuartzDays(std::string_view dom, std::string_view dow) {
  if (dom == "?" && dow == "?") {
    return fieldError(kQuartzDayOfWeek, "'?' may be in day-of-month or day-of-week, not both");
  }
  if (dom != "?" && dow != "?") {
    return fieldError(kQuartzDayOfWeek,
                      "a 7-field (Quartz) expression needs '?' in day-of-month or day-of-week");
  }
  return {};
}

// Which fields the tokens hold, in order, and whether the day-of-week numbering is Quartz.
std::vector<const FieldDef*> layoutFor(const std::vector<std::string_view>& tokens, bool& quartz) {
  if (tokens.size() == 5) {
    quartz = false;
    return {&kMinute, &kHour, &kDayOfMonth, &kMonth, &kUnixDayOfWeek};
  }
  quartz = tokens.size() == 7 || tokens[3] == "?" || tokens[5] == "?";
  std::vector<const FieldDef*> layout = {&kSecond, &kMinute, &kHour, &kDayOfMonth, &kMonth};
  layout.push_back(quartz ? &kQuartzDayOfWeek : &kUnixDayOfWeek);
  if (tokens.size() == 7) layout.push_back(&kYear);
  return layout;
}

}  // namespace

std::expected<CronExpr, CronParseError> CronExpr::parse(std::string_view text) {
  std::string upper = upperCase(text);
  auto tokens = splitFields(upper);
  if (tokens.empty()) return exprError("the expression is empty");
  if (tokens.size() == 1 && tokens[0].starts_with('@')) return parseAlias(splitFields(text)[0]);
  if (tokens.size() < 5 || tokens.size() > 7) {
    return exprError("expected 5, 6 or 7 fields, got " + std::to_string(tokens.size()));
  }
  CronFields fields;
  auto layout = layoutFor(tokens, fields.quartz);
  if (tokens.size() == 5) fields.seconds = 1;  // Unix cron fires at second 0
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (auto status = FieldParser(*layout[i], fields).parse(tokens[i]); !status) {
      return std::unexpected(status.error());
    }
  }
  size_t dom = tokens.size() == 5 ? 2 : 3;
  if (fields.quartz) {
    if (auto status = checkQuartzDays(tokens[dom], tokens[dom + 2]); !status) {
      return std::unexpected(status.error());
    }
  }
  fields.domUnrestricted = tokens[dom].starts_with('*') || tokens[dom] == "?";
  fields.dowUnrestricted = tokens[dom + 2].starts_with('*') || tokens[dom + 2] == "?";
  return CronExpr(joinFields(splitFields(text)), std::move(fields));
}

std::expected<CronExpr, CronParseError> CronExpr::parseAlias(std::string_view alias) {
  std::string upper = upperCase(alias);
  for (const auto& [name, expansion] : kAliases) {
    if (upper != name) continue;
    auto expr = parse(expansion);
    expr->text_ = lowerCase(alias);
    return expr;
  }
  if (upper == "@REBOOT") {
    return exprError(lowerCase(alias) +
                     " is not supported: it means \"at start-up\", which has no fire time; "
                     "use a schedule such as @daily");
  }
  return exprError("unknown alias " + quoted(alias) +
                   "; expected one of @yearly @annually "
                   "@monthly @weekly @daily @midnight @hourly");
}

}  // namespace wxb
