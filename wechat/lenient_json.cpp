#include "wechat/lenient_json.h"

#include <cstdio>

#include "wechat/utf8.h"

namespace wxb {

namespace {

void appendControlEscape(std::string& out, unsigned char c) {
  char escape[8];
  std::snprintf(escape, sizeof escape, "\\u%04x", c);
  out += escape;
}

// Copies the escape sequence at text[at] (a backslash and what follows it) and returns its
// length. A backslash before a byte that cannot start an escape becomes an escaped backslash,
// so the byte after it is repaired on its own.
size_t copyEscape(std::string_view text, size_t at, std::string& out) {
  unsigned char next = at + 1 < text.size() ? static_cast<unsigned char>(text[at + 1]) : 0;
  if (next < 0x20 || next >= 0x80) {
    out += "\\\\";
    return 1;
  }
  out.append(text.substr(at, 2));
  return 2;
}

}  // namespace

std::string repairJsonText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool inString = false;
  for (size_t at = 0; at < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[at]);
    if (!inString || c == '"') {
      inString = inString != (c == '"');
      out += static_cast<char>(c);
      ++at;
    } else if (c == '\\') {
      at += copyEscape(text, at, out);
    } else if (c < 0x20) {
      appendControlEscape(out, c);
      ++at;
    } else if (size_t n = utf8SequenceLength(text, at); n == 0) {
      out += kUtf8Replacement;
      ++at;
    } else {
      out.append(text.substr(at, n));
      at += n;
    }
  }
  return out;
}

nlohmann::json parseLenientJson(std::string_view text, bool& repaired) {
  repaired = false;
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  if (!value.is_discarded()) return value;
  value = nlohmann::json::parse(repairJsonText(text), nullptr, false);
  repaired = !value.is_discarded();
  return value;
}

}  // namespace wxb
