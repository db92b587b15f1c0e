#include "store/db/statement.h"

namespace wxb {

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
  std::string_view cut = cutToChars(text, maxChars);
  if (cut.size() == text.size()) return add(text);
  add(std::string_view(cut_.emplace_back(cut)));
}

}  // namespace wxb
