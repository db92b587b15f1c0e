#include "notify/text_fit.h"

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

}  // namespace

size_t countCodePoints(std::string_view text) { return codePoints(text).size(); }

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
