#include "store/db/statement.h"

#include <Poco/UTF8Encoding.h>

namespace wxb {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Bytes of the valid UTF-8 character at text[at], 0 when the bytes there start none (a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate, past U+10FFFF).
size_t characterBytes(std::string_view text, size_t at) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data()) + at;
  if (*bytes < 0x80) return 1;
  const size_t n = *bytes >= 0xF0 ? 4 : *bytes >= 0xE0 ? 3 : 2;
  if (at + n > text.size()) return 0;
  return Poco::UTF8Encoding::isLegal(bytes, static_cast<int>(n)) ? n : 0;
}

bool isUtf8(std::string_view text) {
  for (size_t at = 0, n = 0; at < text.size(); at += n) {
    if ((n = characterBytes(text, at)) == 0) return false;
  }
  return true;
}

// `text` with every byte that starts no valid character replaced by U+FFFD.
std::string validUtf8(std::string_view text) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    const size_t n = characterBytes(text, at);
    out += n == 0 ? kReplacement : text.substr(at, n);
    at += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace

std::string_view cutToChars(std::string_view text, size_t maxChars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // A byte 10xxxxxx continues a character; any other byte starts one.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == maxChars) {
      return text.substr(0, i);
    }
  }
  return text;
}

std::string placeholders(size_t n) {
  std::string s = "(?";
  for (size_t i = 1; i < n; ++i) s += ", ?";
  return s + ")";
}

void Params::addText(std::string_view text, size_t maxChars) {
  // MySQL refuses text that is not UTF-8 (1366) where SQLite would store it: both get it valid.
  if (!isUtf8(text)) text = cut_.emplace_back(validUtf8(text));
  std::string_view cut = cutToChars(text, maxChars);
  if (cut.size() == text.size()) return add(text);
  add(std::string_view(cut_.emplace_back(cut)));
}

}  // namespace wxb
