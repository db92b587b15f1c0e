#include "notify/subscribe_values.h"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Unicode.h>
#include <date/date.h>

#include <algorithm>
#include <array>
#include <regex>
#include <vector>

#include "notify/text_fit.h"

namespace wxb {

namespace {

constexpr size_t kThingMaxChars = 20;

using Problem = std::optional<std::string>;
using CodePoints = std::u32string;

struct TypeInfo {
  ValueType type;
  std::string_view name;
  std::string_view rule;
};

constexpr std::array<TypeInfo, 12> kTypes = {{
    {ValueType::Thing, "thing", "at most 20 characters"},
    {ValueType::Number, "number", "digits with an optional decimal part, at most 32 characters"},
    {ValueType::Letter, "letter", "at most 32 ASCII letters"},
    {ValueType::Symbol, "symbol", "at most 5 symbols (no letter, digit, CJK character or space)"},
    {ValueType::CharacterString, "character_string",
     "at most 32 printable ASCII characters (letters, digits, symbols; no CJK)"},
    {ValueType::Phrase, "phrase", "at most 5 Chinese characters and nothing else"},
    {ValueType::Name, "name",
     "at most 10 Chinese characters or at most 20 ASCII letters and symbols, not mixed"},
    {ValueType::Amount, "amount",
     "an optional currency sign (¥ ￥ $ € £), at most 10 digits with up to 2 decimals, "
     "optionally ending with 元"},
    {ValueType::PhoneNumber, "phone_number", "at most 17 digits, + - ( ) and spaces"},
    {ValueType::CarNumber, "car_number",
     "at most 8 letters and digits; a Chinese character only first or last"},
    {ValueType::Time, "time", "a 24-hour time (15:01), optionally after a date, or a range A~B"},
    {ValueType::Date, "date",
     "a date (2019-10-01, 2019/10/1, 2019年10月1日), optionally with a 24-hour time, or a "
     "range A~B"},
}};

const TypeInfo& info(ValueType type) { return kTypes[static_cast<size_t>(type)]; }

// ---- characters

CodePoints decode(const std::string& clean) {
  Poco::UTF8Encoding utf8;
  CodePoints out;
  for (Poco::TextIterator it(clean, utf8), end(clean); it != end; ++it) {
    out += static_cast<char32_t>(*it);
  }
  return out;
}

bool isHan(char32_t c) {
  Poco::Unicode::CharacterProperties props;
  Poco::Unicode::properties(static_cast<int>(c), props);
  return props.script == Poco::Unicode::UCP_HAN;
}

bool isAsciiLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool isAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool isPrintableAscii(char32_t c) { return c >= 0x20 && c < 0x7F; }
bool isAsciiSymbol(char32_t c) {
  return isPrintableAscii(c) && c != U' ' && !isAsciiLetter(c) && !isAsciiDigit(c);
}
bool isSymbol(char32_t c) {
  const int ch = static_cast<int>(c);
  return !Poco::Unicode::isAlpha(ch) && !Poco::Unicode::isDigit(ch) &&
         !Poco::Unicode::isSpace(ch) && !isHan(c);
}
bool isPhoneChar(char32_t c) {
  return isAsciiDigit(c) || c == U'+' || c == U'-' || c == U'(' || c == U')' || c == U' ';
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view space : {std::string_view(" "), kIdeographicSpace}) {
      while (text.starts_with(space)) text.remove_prefix(space.size()), changed = true;
      while (text.ends_with(space)) text.remove_suffix(space.size()), changed = true;
    }
  }
  return text;
}

// ---- the checks, each saying what breaks the rule

Problem atMost(const CodePoints& v, size_t limit) {
  if (v.size() <= limit) return std::nullopt;
  return "has " + std::to_string(v.size()) + " characters";
}

Problem each(const CodePoints& v, bool (*allowed)(char32_t), const char* what) {
  if (std::all_of(v.begin(), v.end(), allowed)) return std::nullopt;
  return std::string("has a character that is not ") + what;
}

Problem lengthAndChars(const CodePoints& v, size_t limit, bool (*allowed)(char32_t),
                       const char* what) {
  if (auto tooLong = atMost(v, limit)) return tooLong;
  return each(v, allowed, what);
}

Problem matches(const std::string& text, const std::regex& pattern, const char* what) {
  if (std::regex_match(text, pattern)) return std::nullopt;
  return std::string("is not ") + what;
}

Problem numberProblem(const std::string& text, const CodePoints& v) {
  static const std::regex kNumber(R"(\d+(\.\d+)?)");
  if (auto tooLong = atMost(v, 32)) return tooLong;
  return matches(text, kNumber, "digits with an optional decimal part");
}

Problem nameProblem(const CodePoints& v) {
  if (std::all_of(v.begin(), v.end(), isHan)) return atMost(v, 10);
  if (std::none_of(v.begin(), v.end(), isHan)) {
    if (auto tooLong = atMost(v, 20)) return tooLong;
    return each(
        v, [](char32_t c) { return isAsciiLetter(c) || isAsciiSymbol(c) || c == U' '; },
        "an ASCII letter or symbol");
  }
  return std::string("mixes Chinese characters with others");
}

Problem amountProblem(const std::string& text) {
  static const std::regex kAmount(
      "(\xC2\xA5|\xEF\xBF\xA5|\\$|\xE2\x82\xAC|\xC2\xA3)?\\d{1,10}(\\.\\d{1,2})?(\xE5\x85\x83)?");
  return matches(text, kAmount, "a currency amount");
}

Problem carNumberProblem(const CodePoints& v) {
  if (auto tooLong = atMost(v, 8)) return tooLong;
  for (size_t i = 0; i < v.size(); ++i) {
    const bool end = i == 0 || i + 1 == v.size();
    if (isAsciiLetter(v[i]) || isAsciiDigit(v[i]) || (end && isHan(v[i]))) continue;
    return std::string(isHan(v[i]) ? "has a Chinese character inside"
                                   : "has a character that is not a letter or digit");
  }
  return std::nullopt;
}

// ---- time and date: one point or a range "A~B"; a point is a date (2019-10-01, 2019/10/1,
// 2019年10月1日) and/or a 24-hour time (9:05, 09:05:30).

struct Point {
  bool hasDate = false;
  bool hasTime = false;
};

int capture(const std::smatch& m, size_t group) { return std::stoi(m[group].str()); }

// Groups: 1 year; 2-3, 4-5 or 6-7 month and day (- / 年月日); 8 the separator; 9-11 the time.
std::optional<Point> parsePoint(const std::string& text) {
  static const std::regex kPoint(
      "(?:(\\d{4})(?:-(\\d{1,2})-(\\d{1,2})|/(\\d{1,2})/(\\d{1,2})|\xE5\xB9\xB4(\\d{1,2})"
      "\xE6\x9C\x88(\\d{1,2})\xE6\x97\xA5))?( ?)(?:(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?");
  std::smatch m;
  if (!std::regex_match(text, m, kPoint)) return std::nullopt;
  Point point{m[1].matched, m[9].matched};
  // A space only between a date and a time, and required there unless the date ends with 日.
  const bool spaced = m[8].length() == 1;
  const bool chineseDate = m[6].matched;
  if (!point.hasDate && !point.hasTime) return std::nullopt;
  if (spaced != (point.hasDate && point.hasTime) && !(chineseDate && point.hasTime)) {
    return std::nullopt;
  }
  if (point.hasDate) {
    const size_t month = m[2].matched ? 2 : m[4].matched ? 4 : 6;
    const date::year_month_day day{date::year{capture(m, 1)},
                                   date::month{static_cast<unsigned>(capture(m, month))},
                                   date::day{static_cast<unsigned>(capture(m, month + 1))}};
    if (!day.ok()) return std::nullopt;
  }
  if (point.hasTime) {
    if (capture(m, 9) > 23 || capture(m, 10) > 59) return std::nullopt;
    if (m[11].matched && capture(m, 11) > 59) return std::nullopt;
  }
  return point;
}

Problem timeOrDateProblem(const std::string& text, bool needTime) {
  const size_t tilde = text.find('~');
  std::vector<std::string> parts{text.substr(0, tilde)};
  if (tilde != std::string::npos) parts.push_back(text.substr(tilde + 1));
  for (const std::string& part : parts) {
    auto point = parsePoint(std::string(trimmed(part)));
    if (!point || (needTime ? !point->hasTime : !point->hasDate)) {
      return std::string(needTime ? "is not a 24-hour time" : "is not a date") +
             (parts.size() > 1 ? " range" : "");
    }
  }
  return std::nullopt;
}

Problem problemOf(ValueType type, const std::string& text, const CodePoints& v) {
  switch (type) {
    case ValueType::Thing:
      return std::nullopt;  // cut, never refused
    case ValueType::Number:
      return numberProblem(text, v);
    case ValueType::Letter:
      return lengthAndChars(v, 32, isAsciiLetter, "an ASCII letter");
    case ValueType::Symbol:
      return lengthAndChars(v, 5, isSymbol, "a symbol");
    case ValueType::CharacterString:
      return lengthAndChars(v, 32, isPrintableAscii, "printable ASCII");
    case ValueType::Phrase:
      return lengthAndChars(v, 5, isHan, "a Chinese character");
    case ValueType::Name:
      return nameProblem(v);
    case ValueType::Amount:
      return amountProblem(text);
    case ValueType::PhoneNumber:
      return lengthAndChars(v, 17, isPhoneChar, "a digit, + - ( ) or space");
    case ValueType::CarNumber:
      return carNumberProblem(v);
    case ValueType::Time:
      return timeOrDateProblem(text, true);
    case ValueType::Date:
      return timeOrDateProblem(text, false);
  }
  return std::nullopt;
}

std::string sentence(ValueType type, const std::string& what) {
  return std::string(valueTypeName(type)) + ": " + std::string(valueTypeRule(type)) +
         "; the value " + what;
}

}  // namespace

std::string_view valueTypeName(ValueType type) { return info(type).name; }
std::string_view valueTypeRule(ValueType type) { return info(type).rule; }

std::optional<ValueType> subscribeKeyType(std::string_view key) {
  const size_t typeEnd = key.find_last_not_of("0123456789");
  if (typeEnd == std::string_view::npos || typeEnd + 1 == key.size()) return std::nullopt;
  const std::string_view name = key.substr(0, typeEnd + 1);
  for (const TypeInfo& type : kTypes) {
    if (type.name == name) return type.type;
  }
  return std::nullopt;
}

std::expected<FittedValue, std::string> fitSubscribeValue(std::string_view key,
                                                          std::string_view value) {
  const auto type = subscribeKeyType(key);
  if (!type) {
    return std::unexpected("key " + std::string(key) +
                           " is not TYPE+digits of a known type (thing1, number2, time3, ...)");
  }
  const std::string clean = cleanText(value);
  const std::string text(trimmed(clean));
  if (text.empty()) return std::unexpected(sentence(*type, "is empty"));
  if (*type == ValueType::Thing) {
    std::string fitted = fitTemplateValue(text, kThingMaxChars);
    const bool cut = fitted != text;
    return FittedValue{std::move(fitted), cut};
  }
  if (auto problem = problemOf(*type, text, decode(text))) {
    return std::unexpected(sentence(*type, *problem));
  }
  return FittedValue{text, false};
}

std::expected<std::map<std::string, std::string>, SubscribeValueProblem> fitSubscribeData(
    const std::map<std::string, std::string>& data) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : data) {
    auto fitted = fitSubscribeValue(key, value);
    if (!fitted) return std::unexpected(SubscribeValueProblem{key, fitted.error()});
    out.emplace(key, std::move(fitted->value));
  }
  return out;
}

}  // namespace wxb
