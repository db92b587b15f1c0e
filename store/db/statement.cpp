#include "store/db/statement.h"

#include "wechat/utf8.h"

namespace wxb {

namespace {

bool isUtf8(std::string_view text) {
  for (size_t at = 0, n = 0; at < text.size(); at += n) {
    if ((n = utf8SequenceLength(text, at)) == 0) return false;
  }
  return true;
}

// `text` with every byte that starts no valid character replaced by U+FFFD.
std::string validUtf8(std::string_view text) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    const size_t n = utf8SequenceLength(text, at);
    out += n == 0 ? kUtf8Replacement : text.substr(at, n);
    at += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace

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
