#include "fake_wechat/value_rules.h"

#include <algorithm>
#include <map>
#include <optional>

namespace wxb::fake {
namespace {

// ---- UTF-8 and character classes (input came through the JSON parser, so it is valid UTF-8;
// a broken sequence still decodes, to U+FFFD, rather than failing).

constexpr char32_t kReplacement = 0xFFFD;

int sequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

std::u32string decodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    int length = sequenceLength(lead);
    if (length == 0 || i + length > text.size()) {
      out += kReplacement;
      ++i;
      continue;
    }
    char32_t c = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    out += c;
    i += length;
  }
  return out;
}

std::string encodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

bool isHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF);
}

bool isCjk(char32_t c) {
  return isHan(c) || (c >= 0x3000 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

// ---- time and date values: a point is a date (2024-05-01, 2024/5/1, 2024年5月1日) and/or a
// 24-hour time (9:05, 09:05:30); a value is one point or a range "A~B".

class Cursor {
 public:
  explicit Cursor(std::u32string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  bool accept(char32_t c) {
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  // A number of min..max digits in [low, high].
  std::optional<int> number(int minDigits, int maxDigits, int low, int high) {
    std::size_t start = pos_;
    int value = 0;
    while (pos_ < text_.size() && pos_ - start < static_cast<std::size_t>(maxDigits) &&
           text_[pos_] >= U'0' && text_[pos_] <= U'9') {
      value = value * 10 + static_cast<int>(text_[pos_++] - U'0');
    }
    if (pos_ - start < static_cast<std::size_t>(minDigits) || value < low || value > high) {
      pos_ = start;
      return std::nullopt;
    }
    return value;
  }
  std::size_t mark() const { return pos_; }
  void reset(std::size_t mark) { pos_ = mark; }

 private:
  std::u32string_view text_;
  std::size_t pos_ = 0;
};

bool calendarDate(Cursor& in) {
  std::size_t start = in.mark();
  if (!in.number(4, 4, 1900, 2999)) return false;
  if (in.accept(U'年')) {
    if (in.number(1, 2, 1, 12) && in.accept(U'月') && in.number(1, 2, 1, 31) && in.accept(U'日')) {
      return true;
    }
  } else {
    char32_t sep = in.accept(U'-') ? U'-' : in.accept(U'/') ? U'/' : 0;
    if (sep && in.number(1, 2, 1, 12) && in.accept(sep) && in.number(1, 2, 1, 31)) return true;
  }
  in.reset(start);
  return false;
}

bool timeOfDay(Cursor& in) {
  std::size_t start = in.mark();
  if (in.number(1, 2, 0, 23) && in.accept(U':') && in.number(2, 2, 0, 59)) {
    std::size_t beforeSeconds = in.mark();
    if (!(in.accept(U':') && in.number(2, 2, 0, 59))) in.reset(beforeSeconds);
    return true;
  }
  in.reset(start);
  return false;
}

// One point; `needTime` for time values, else a date is needed.
bool point(Cursor& in, bool needTime) {
  bool hasDate = calendarDate(in);
  if (hasDate) {
    std::size_t beforeTime = in.mark();
    in.accept(U' ');
    if (timeOfDay(in)) return true;
    in.reset(beforeTime);
    return !needTime;
  }
  return needTime && timeOfDay(in);
}

bool value(std::u32string_view text, bool needTime) {
  Cursor in(text);
  if (!point(in, needTime)) return false;
  if (in.done()) return true;
  in.accept(U' ');
  if (!in.accept(U'~')) return false;
  in.accept(U' ');
  return point(in, needTime) && in.done();
}

bool isTimeValue(std::u32string_view text) { return value(text, true); }
bool isDateValue(std::u32string_view text) { return value(text, false); }

// ---- the rules by key type

bool isAsciiLetter(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool isPrintableAscii(char32_t c) { return c >= 0x20 && c < 0x7F; }

std::optional<std::string> tooLong(const std::u32string& v, std::size_t limit, const char* what) {
  if (v.size() <= limit) return std::nullopt;
  return "exceeds " + std::to_string(limit) + " " + what;
}

std::optional<std::string> unless(bool ok, const char* problem) {
  if (ok) return std::nullopt;
  return std::string(problem);
}

bool isDecimal(std::u32string_view v) {
  auto dot = v.find(U'.');
  auto digits = [](std::u32string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), isDigit);
  };
  if (dot == std::u32string_view::npos) return digits(v);
  return digits(v.substr(0, dot)) && digits(v.substr(dot + 1));
}

std::optional<std::string> amountProblem(const std::u32string& value) {
  std::u32string v = value;
  static const std::u32string kSigns = U"¥￥$€£";
  if (!v.empty() && kSigns.find(v.front()) != std::u32string::npos) v.erase(0, 1);
  if (!v.empty() && v.back() == U'元') v.pop_back();
  auto dot = v.find(U'.');
  std::size_t whole = dot == std::u32string::npos ? v.size() : dot;
  std::size_t fraction = dot == std::u32string::npos ? 0 : v.size() - dot - 1;
  if (!isDecimal(v) || whole > 10 || fraction > 2) {
    return "must be a currency sign, at most 10 digits (2 decimals) and an optional 元";
  }
  return std::nullopt;
}

std::optional<std::string> nameProblem(const std::u32string& v) {
  if (std::all_of(v.begin(), v.end(), isHan)) return tooLong(v, 10, "Chinese characters");
  if (std::none_of(v.begin(), v.end(), isHan) &&
      std::all_of(v.begin(), v.end(), isPrintableAscii)) {
    return tooLong(v, 20, "letters");
  }
  return "must be only Chinese characters (at most 10) or only letters (at most 20)";
}

bool isSymbol(char32_t c) { return !isAsciiLetter(c) && !isDigit(c) && !isCjk(c) && c != ' '; }
bool isPhoneChar(char32_t c) {
  return isDigit(c) || c == '+' || c == '-' || c == ' ' || c == '(' || c == ')';
}
bool isPlateChar(char32_t c) { return isAsciiLetter(c) || isDigit(c) || isHan(c); }
bool isNumberValue(const std::u32string& v) { return isDecimal(v); }
bool isTimeText(const std::u32string& v) { return isTimeValue(v); }
bool isDateText(const std::u32string& v) { return isDateValue(v); }

// The rule of one key type: a length limit, then a per-character and/or a whole-value check
// (failing either gives `problem`), or a custom check for the irregular types.
struct TypeRule {
  std::size_t maxLength = 0;  // 0: no limit
  const char* unit = "characters";
  bool (*eachChar)(char32_t) = nullptr;
  bool (*whole)(const std::u32string&) = nullptr;
  const char* problem = "";
  std::optional<std::string> (*custom)(const std::u32string&) = nullptr;
};

const std::map<std::string, TypeRule, std::less<>>& rules() {
  static const std::map<std::string, TypeRule, std::less<>> table = {
      {"thing", {20, "characters"}},
      {"number", {32, "digits", nullptr, isNumberValue, "must be a number"}},
      {"letter", {32, "letters", isAsciiLetter, nullptr, "must be letters only"}},
      {"symbol", {5, "symbols", isSymbol, nullptr, "must be symbols only"}},
      {"character_string",
       {32, "characters", isPrintableAscii, nullptr,
        "must be letters, digits or symbols (no CJK)"}},
      {"phrase", {5, "characters", isHan, nullptr, "must be Chinese characters only"}},
      {"name", {0, "", nullptr, nullptr, "", nameProblem}},
      {"amount", {0, "", nullptr, nullptr, "", amountProblem}},
      {"phone_number", {17, "characters", isPhoneChar, nullptr, "must be a phone number"}},
      {"car_number", {8, "characters", isPlateChar, nullptr, "must be a plate number"}},
      {"time", {0, "", nullptr, isTimeText, "must be a 24-hour time (optionally with a date)"}},
      {"date", {0, "", nullptr, isDateText, "must be a date (optionally with a 24-hour time)"}},
  };
  return table;
}

std::optional<std::string> ruleProblem(const TypeRule& rule, const std::u32string& v) {
  if (rule.custom) return rule.custom(v);
  if (rule.maxLength > 0 && v.size() > rule.maxLength) return tooLong(v, rule.maxLength, rule.unit);
  bool charsOk = !rule.eachChar || std::all_of(v.begin(), v.end(), rule.eachChar);
  bool wholeOk = !rule.whole || rule.whole(v);
  return unless(charsOk && wholeOk, rule.problem);
}

bool hasLineBreak(std::string_view value) {
  return value.find_first_of("\r\n") != std::string_view::npos;
}

}  // namespace

std::size_t codePointCount(std::string_view text) { return decodeUtf8(text).size(); }

std::string_view keyType(std::string_view key) {
  auto end = key.find_last_not_of("0123456789");
  return end == std::string_view::npos ? std::string_view{} : key.substr(0, end + 1);
}

std::optional<std::string> subscribeValueProblem(std::string_view key, std::string_view value) {
  auto rule = rules().find(keyType(key));
  if (rule == rules().end()) return std::nullopt;
  std::u32string decoded = decodeUtf8(value);
  if (decoded.empty()) return std::string("is empty");
  if (std::any_of(decoded.begin(), decoded.end(),
                  [](char32_t c) { return c < 0x20 || c == 0x7F; })) {
    return std::string("contains a line break or control character");
  }
  return ruleProblem(rule->second, decoded);
}

std::optional<std::string> categoryValueProblem(std::string_view key, std::string_view value) {
  if (hasLineBreak(value)) return std::string("contains a line break");
  if (codePointCount(value) > kTemplateFieldLimit) {
    return "exceeds " + std::to_string(kTemplateFieldLimit) + " characters";
  }
  return subscribeValueProblem(key, value);
}

std::string foldTemplateValue(std::string_view value, bool* folded) {
  std::u32string decoded = decodeUtf8(value);
  std::u32string shown;
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    if (decoded[i] == U'\r' && i + 1 < decoded.size() && decoded[i + 1] == U'\n') continue;
    shown += (decoded[i] == U'\r' || decoded[i] == U'\n') ? U' ' : decoded[i];
  }
  if (shown.size() > kTemplateFieldLimit) shown.resize(kTemplateFieldLimit);
  std::string out = encodeUtf8(shown);
  *folded = out != value;
  return out;
}

}  // namespace wxb::fake
