#include "notify/template_render.h"

#include <algorithm>

#include "notify/subscribe_values.h"
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

std::string renderPattern(const Pattern& pattern, const TypeLabels& labels,
                          const TemplateValues& values) {
  std::string value;
  for (const auto& part : pattern) value += renderPart(part, labels, values);
  return value;
}

// The values of a message about what a user has unread (`unread` may be null: nothing).
TemplateValues valuesOf(const UnreadSummary* unread, const MessageParams& params) {
  TemplateValues values;
  values.params = params;
  if (unread) {
    values.counts = unread->counts;
    values.unread = totalOf(unread->counts);
    values.actor = unread->latestActor;
    values.text = unread->latestText;
  }
  return values;
}

// The caller's field to blame for a data value: the first parameter the pattern uses.
std::string blamedField(const Pattern& pattern) {
  for (const auto& part : pattern) {
    if (part.kind == PatternPart::Kind::Param) return "params." + part.text;
  }
  return "template";
}

ChannelForm formShell(const TemplateSpec& form) {
  ChannelForm out;
  out.channel = form.channel;
  out.templateId = form.templateId;
  out.miniprogram = form.miniprogram;
  out.page = form.page;
  if (form.channel == Channel::MpSubscribe) {
    out.miniprogramState = form.miniprogramState;
    out.lang = form.lang;
  }
  out.longTerm = form.channel == Channel::OaSubscribe && form.longTerm;
  return out;
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
    message.data[key] = fitTemplateValue(renderPattern(pattern, labels, values));
  }
  return message;
}

std::expected<ChannelForm, FieldProblem> renderForm(const TemplateSpec& form,
                                                    const TypeLabels& labels,
                                                    const UnreadSummary* unread,
                                                    const MessageParams& params) {
  ChannelForm out = formShell(form);
  const TemplateValues values = valuesOf(unread, params);
  for (const auto& [key, pattern] : form.data) {
    const std::string value = renderPattern(pattern, labels, values);
    if (form.channel == Channel::OaTemplate) {
      out.data[key] = fitTemplateValue(value);
      continue;
    }
    auto fitted = fitSubscribeValue(key, value);
    if (!fitted) {
      return std::unexpected(FieldProblem{
          blamedField(pattern), fitted.error() + " (data." + key + " of template " + form.name +
                                    " on " + std::string(channelName(form.channel)) + ")"});
    }
    out.data[key] = std::move(fitted->value);
  }
  return out;
}

std::expected<OutboxPayload, FieldProblem> renderPayload(const TemplateSpec& spec,
                                                         const std::vector<Channel>& candidates,
                                                         bool autoChannel, const TypeLabels& labels,
                                                         const UnreadSummary* unread,
                                                         const MessageParams& params) {
  OutboxPayload payload{autoChannel, {}};
  for (Channel channel : candidates) {
    const TemplateSpec* form = spec.form(channel);
    if (!form) continue;
    auto rendered = renderForm(*form, labels, unread, params);
    if (!rendered) return std::unexpected(rendered.error());
    payload.forms.push_back(std::move(*rendered));
  }
  return payload;
}

TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const UnreadSummary* unread,
                               const MessageParams& params) {
  return renderTemplate(spec, labels, touser, valuesOf(unread, params));
}

}  // namespace wxb
