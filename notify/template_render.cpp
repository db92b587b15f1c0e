#include "notify/template_render.h"

#include <algorithm>

#include "notify/text_fit.h"

namespace wxb {

namespace {

int64_t total(const UnreadSummary* unread) {
  int64_t sum = 0;
  if (unread) {
    for (const auto& c : unread->counts) sum += c.count;
  }
  return sum;
}

int64_t countOf(const UnreadSummary* unread, const std::string& type) {
  if (!unread) return 0;
  for (const auto& c : unread->counts) {
    if (c.type == type) return c.count;
  }
  return 0;
}

std::string paramOf(const MessageParams& params, const std::string& name) {
  auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

std::string renderPart(const PatternPart& part, const TypeLabels& labels,
                       const UnreadSummary* unread, const MessageParams& params) {
  using Kind = PatternPart::Kind;
  switch (part.kind) {
    case Kind::Literal:
      return part.text;
    case Kind::Total:
      return std::to_string(total(unread));
    case Kind::Count:
      return std::to_string(countOf(unread, part.text));
    case Kind::Summary:
      return unread ? summaryText(unread->counts, labels) : std::string();
    case Kind::Actor:
      return unread ? unread->latestActor : std::string();
    case Kind::Text:
      return unread ? unread->latestText : std::string();
    case Kind::Param:
      return paramOf(params, part.text);
  }
  return {};
}

}  // namespace

std::string summaryText(const std::vector<TypeCount>& counts, const TypeLabels& labels) {
  std::vector<TypeCount> sorted = counts;
  std::sort(sorted.begin(), sorted.end(), [](const TypeCount& a, const TypeCount& b) {
    return a.count != b.count ? a.count > b.count : a.type < b.type;
  });
  std::string out;
  for (const auto& c : sorted) {
    if (c.count <= 0) continue;
    auto label = labels.find(c.type);
    if (!out.empty()) out += ", ";
    out += (label == labels.end() ? c.type : label->second) + ": " + std::to_string(c.count);
  }
  return out;
}

TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const UnreadSummary* unread,
                               const MessageParams& params) {
  TemplateMessage message;
  message.touser = touser;
  message.templateId = spec.templateId;
  message.miniprogram = spec.miniprogram;
  for (const auto& [key, pattern] : spec.data) {
    std::string value;
    for (const auto& part : pattern) value += renderPart(part, labels, unread, params);
    message.data[key] = fitTemplateValue(value);
  }
  return message;
}

}  // namespace wxb
