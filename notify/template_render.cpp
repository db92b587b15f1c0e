#include "notify/template_render.h"

#include <algorithm>

#include "notify/text_fit.h"

namespace wxb {

namespace {

int64_t totalOf(const std::vector<TypeCount>& counts) {
  int64_t sum = 0;
  for (const auto& c : counts) sum += c.count;
  return sum;
}

int64_t countOf(const std::vector<TypeCount>& counts, const std::string& type) {
  for (const auto& c : counts) {
    if (c.type == type) return c.count;
  }
  return 0;
}

std::string lookup(const std::map<std::string, std::string>& map, const std::string& key) {
  auto found = map.find(key);
  return found == map.end() ? std::string() : found->second;
}

std::string labelOf(const TypeLabels& labels, const std::string& type) {
  if (type.empty()) return {};
  auto found = labels.find(type);
  return found == labels.end() ? type : found->second;
}

std::string renderPart(const PatternPart& part, const TypeLabels& labels,
                       const TemplateValues& values) {
  using Kind = PatternPart::Kind;
  switch (part.kind) {
    case Kind::Literal:
      return part.text;
    case Kind::Total:
      return std::to_string(totalOf(values.counts));
    case Kind::Count:
      return std::to_string(countOf(values.counts, part.text));
    case Kind::Summary:
      return summaryText(values.counts, labels);
    case Kind::Actor:
      return values.actor;
    case Kind::Text:
      return values.text;
    case Kind::Label:
      return labelOf(labels, values.type);
    case Kind::Unread:
      return std::to_string(values.unread);
    case Kind::Param:
      return lookup(values.params, part.text);
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
    if (!out.empty()) out += ", ";
    out += labelOf(labels, c.type) + ": " + std::to_string(c.count);
  }
  return out;
}

TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const TemplateValues& values) {
  TemplateMessage message;
  message.touser = touser;
  message.templateId = spec.templateId;
  message.miniprogram = spec.miniprogram;
  for (const auto& [key, pattern] : spec.data) {
    std::string value;
    for (const auto& part : pattern) value += renderPart(part, labels, values);
    message.data[key] = fitTemplateValue(value);
  }
  return message;
}

TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const UnreadSummary* unread,
                               const MessageParams& params) {
  TemplateValues values;
  values.params = params;
  if (unread) {
    values.counts = unread->counts;
    values.unread = totalOf(unread->counts);
    values.actor = unread->latestActor;
    values.text = unread->latestText;
  }
  return renderTemplate(spec, labels, touser, values);
}

}  // namespace wxb
