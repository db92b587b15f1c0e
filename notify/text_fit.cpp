#include "notify/text_fit.h"

#include <vector>

namespace wxb {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Unicode's own line breaks: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
bool isUnicodeLineBreak(std::string_view sequence) {
  return sequence == "\xC2\x85" || sequence == "\xE2\x80\xA8" || sequence == "\xE2\x80\xA9";
}

// Length of the valid UTF-8 sequence at text[at], or 0 when the bytes there are not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid too).
size_t sequenceLength(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (n == 0 || lead > 0xF4 || at + n > text.size()) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  unsigned char second = byte(at + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
  if (lead == 0xED && second > 0x9F) return 0;  // UTF-16 surrogate
  if (lead == 0xF0 && second < 0x90) return 0;  // overlong
  if (lead == 0xF4 && second > 0x8F) return 0;  // past U+10FFFF
  return n;
}

// The code points of clean text, each as its bytes.
std::vector<std::string_view> codePoints(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at < text.size();) {
    size_t n = sequenceLength(text, at);
    out.push_back(text.substr(at, n == 0 ? 1 : n));
    at += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace

size_t countCodePoints(std::string_view text) { return codePoints(text).size(); }

std::string cleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    size_t n = sequenceLength(text, at);
    if (n == 0) {
      out += kReplacement;
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
