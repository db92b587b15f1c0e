#include "notify/template_spec.h"

#include <algorithm>

namespace wxb {

namespace {

constexpr size_t kMaxNameChars = 32;

bool allOf(std::string_view s, size_t maxChars, bool (*allowed)(char)) {
  return !s.empty() && s.size() <= maxChars && std::all_of(s.begin(), s.end(), allowed);
}

bool isLowerWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool isWordChar(char c) { return isLowerWordChar(c) || (c >= 'A' && c <= 'Z'); }

bool isNameChar(char c) { return isWordChar(c) || c == '-'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::expected<PatternPart, std::string> placeholder(std::string_view inside) {
  using Kind = PatternPart::Kind;
  std::string_view name = trim(inside);
  if (name == "total") return PatternPart{Kind::Total, ""};
  if (name == "summary") return PatternPart{Kind::Summary, ""};
  if (name == "actor") return PatternPart{Kind::Actor, ""};
  if (name == "text") return PatternPart{Kind::Text, ""};
  if (name == "label") return PatternPart{Kind::Label, ""};
  if (name == "unread") return PatternPart{Kind::Unread, ""};
  if (name.starts_with("count.") && isValidEventType(name.substr(6))) {
    return PatternPart{Kind::Count, std::string(name.substr(6))};
  }
  if (name.starts_with("params.") && isValidFieldKey(name.substr(7))) {
    return PatternPart{Kind::Param, std::string(name.substr(7))};
  }
  return std::unexpected(
      "unknown placeholder {{" + std::string(inside) +
      "}} (known: total, count.TYPE, summary, actor, text, label, unread, params.NAME)");
}

}  // namespace

bool isValidTemplateName(std::string_view name) { return allOf(name, 64, isNameChar); }
bool isValidFieldKey(std::string_view key) { return allOf(key, kMaxNameChars, isWordChar); }
bool isValidEventType(std::string_view type) { return allOf(type, kMaxNameChars, isLowerWordChar); }

std::expected<Pattern, std::string> parsePattern(std::string_view text) {
  Pattern parts;
  while (!text.empty()) {
    size_t open = text.find("{{");
    if (open != 0) {
      parts.push_back({PatternPart::Kind::Literal, std::string(text.substr(0, open))});
      if (open == std::string_view::npos) break;
      text.remove_prefix(open);
    }
    size_t close = text.find("}}");
    if (close == std::string_view::npos) return std::unexpected("'{{' without '}}'");
    auto part = placeholder(text.substr(2, close - 2));
    if (!part) return std::unexpected(part.error());
    parts.push_back(std::move(*part));
    text.remove_prefix(close + 2);
  }
  return parts;
}

std::set<std::string> TemplateSpec::paramNames() const {
  std::set<std::string> names;
  for (const auto& [key, pattern] : data) {
    for (const auto& part : pattern) {
      if (part.kind == PatternPart::Kind::Param) names.insert(part.text);
    }
  }
  for (const auto& variant : variants) names.merge(variant.paramNames());
  return names;
}

std::set<Channel> TemplateSpec::channels() const {
  std::set<Channel> out = {channel};
  for (const auto& variant : variants) out.insert(variant.channel);
  return out;
}

const TemplateSpec* TemplateSpec::form(Channel wanted) const {
  if (channel == wanted) return this;
  for (const auto& variant : variants) {
    if (variant.channel == wanted) return &variant;
  }
  return nullptr;
}

}  // namespace wxb
