#include "notify/text_fit.h"

#include <cstdio>
#include <vector>

#include "wechat/utf8.h"

namespace wxb {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// Unicode's own line breaks: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
bool isUnicodeLineBreak(std::string_view sequence) {
  return sequence == "\xC2\x85" || sequence == "\xE2\x80\xA8" || sequence == "\xE2\x80\xA9";
}

// The code points of clean text, each as its bytes.
std::vector<std::string_view> codePoints(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at < text.size();) {
    size_t n = utf8SequenceLength(text, at);
    out.push_back(text.substr(at, n == 0 ? 1 : n));
    at += n == 0 ? 1 : n;
  }
  return out;
}

// The code point of one valid UTF-8 sequence.
char32_t decode(std::string_view sequence) {
  auto byte = [&](size_t i) {
    return static_cast<char32_t>(static_cast<unsigned char>(sequence[i]));
  };
  switch (sequence.size()) {
    case 1:
      return byte(0);
    case 2:
      return (byte(0) & 0x1F) << 6 | (byte(1) & 0x3F);
    case 3:
      return (byte(0) & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F);
    default:
      return (byte(0) & 0x07) << 18 | (byte(1) & 0x3F) << 12 | (byte(2) & 0x3F) << 6 |
             (byte(3) & 0x3F);
  }
}

bool isControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

// "U+000A at character 9" (characters counted from 1).
std::string located(char32_t c, size_t index) {
  char text[64];
  std::snprintf(text, sizeof text, "U+%04X at character %zu", static_cast<unsigned>(c), index + 1);
  return text;
}

// The first problem of a code-point sequence: bytes that are not UTF-8, or a character `bad`
// refuses (described as "<what> (U+XXXX at character N)").
template <typename Bad>
std::optional<std::string> firstBadCharacter(const std::vector<std::string_view>& points, Bad bad,
                                             const char* what) {
  for (size_t i = 0; i < points.size(); ++i) {
    if (utf8SequenceLength(points[i], 0) != points[i].size()) {
      char text[96];
      std::snprintf(text, sizeof text, "must be valid UTF-8 (byte 0x%02X at character %zu is not)",
                    static_cast<unsigned>(static_cast<unsigned char>(points[i][0])), i + 1);
      return text;
    }
    if (char32_t c = decode(points[i]); bad(c))
      return std::string(what) + " (" + located(c, i) + ")";
  }
  return std::nullopt;
}

std::string tooLong(size_t maxChars, size_t chars) {
  return "must be at most " + std::to_string(maxChars) + " characters (got " +
         std::to_string(chars) + ")";
}

}  // namespace

size_t countCodePoints(std::string_view text) { return codePoints(text).size(); }

std::optional<std::string> freeTextProblem(std::string_view text, size_t maxChars) {
  auto points = codePoints(text);
  auto nul = [](char32_t c) { return c == 0; };
  if (auto problem = firstBadCharacter(points, nul, "must not contain the NUL character")) {
    return problem;
  }
  if (points.size() > maxChars) return tooLong(maxChars, points.size());
  return std::nullopt;
}

std::optional<std::string> identifierProblem(std::string_view text, size_t maxChars) {
  if (text.empty()) return "must not be empty";
  auto points = codePoints(text);
  if (auto problem = firstBadCharacter(points, isControl, "must not contain control characters")) {
    return problem;
  }
  if (points.size() > maxChars) return tooLong(maxChars, points.size());
  return trailingSpaceProblem(text);
}

std::optional<std::string> trailingSpaceProblem(std::string_view key) {
  if (!key.ends_with(' ')) return std::nullopt;
  return "must not end in a space (MySQL and MariaDB compare keys without trailing spaces, so "
         "\"k \" would be the key \"k\")";
}

std::string cleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    size_t n = utf8SequenceLength(text, at);
    if (n == 0) {
      out += kUtf8Replacement;
      ++at;
      continue;
    }
    char c = text[at];
    if (n == 1 && (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)) {
      out += ' ';
      at += c == '\r' && at + 1 < text.size() && text[at + 1] == '\n' ? 2 : 1;
      continue;
    }
    std::string_view sequence = text.substr(at, n);
    if (isUnicodeLineBreak(sequence)) {
      out += ' ';
    } else {
      out.append(sequence);
    }
    at += n;
  }
  return out;
}

std::string fitTemplateValue(std::string_view text, size_t maxChars) {
  std::string clean = cleanText(text);
  auto points = codePoints(clean);
  if (points.size() <= maxChars) return clean;
  std::string out;
  for (size_t i = 0; i + 1 < maxChars; ++i) out.append(points[i]);
  if (maxChars > 0) out += kEllipsis;
  return out;
}

}  // namespace wxb
