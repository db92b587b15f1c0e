#include "notify/messages.h"

#include "notify/template_message.h"
#include "notify/text_fit.h"

namespace wxb {

namespace {

// Valid UTF-8 without control characters, 1..maxChars characters (0 allowed when mayBeEmpty).
bool isPlainText(const std::string& text, size_t maxChars, bool mayBeEmpty) {
  if (cleanText(text) != text) return false;
  size_t chars = countCodePoints(text);
  return (mayBeEmpty || chars > 0) && chars <= maxChars;
}

bool isPrintableAscii(const std::string& text, size_t maxChars) {
  if (text.empty() || text.size() > maxChars) return false;
  for (char c : text) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

std::string known(const NotifySettings& settings) {
  std::string names;
  for (const auto& [name, spec] : settings.templates) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none configured" : "configured: " + names;
}

std::optional<FieldProblem> checkDirectMessage(
    const std::expected<const TemplateSpec*, FieldProblem>& spec, const DirectMessage& m) {
  if (!isPrintableAscii(m.idempotencyKey, kMaxIdempotencyKeyChars)) {
    return FieldProblem{"idempotency_key", "must be 1-128 printable ASCII characters"};
  }
  if (!spec) return spec.error();
  return checkParams(**spec, m.params);
}

}  // namespace

std::expected<const TemplateSpec*, FieldProblem> findTemplate(const NotifySettings& settings,
                                                              const std::string& name) {
  auto found = settings.templates.find(name);
  if (found != settings.templates.end()) return &found->second;
  return std::unexpected(FieldProblem{"template", "unknown template (" + known(settings) + ")"});
}

std::optional<FieldProblem> checkParams(const TemplateSpec& spec, const MessageParams& params) {
  for (const auto& name : spec.paramNames()) {
    if (!params.count(name)) {
      return FieldProblem{"params." + name, "required by template " + spec.name};
    }
  }
  for (const auto& [name, value] : params) {
    if (!isPlainText(value, kMaxParamChars, true)) {
      return FieldProblem{"params." + name, "must be text of at most 256 characters"};
    }
  }
  return std::nullopt;
}

std::optional<FieldProblem> checkEvent(const NotifyEvent& e) {
  if (!isPlainText(e.eventId, kMaxEventIdChars, false)) {
    return FieldProblem{"event_id", "must be 1-64 characters without control characters"};
  }
  if (!isValidEventType(e.type)) {
    return FieldProblem{"type", "must be 1-32 characters of a-z 0-9 _"};
  }
  if (!isPlainText(e.actor, kMaxEventTextChars, true)) {
    return FieldProblem{"actor", "must be text of at most 256 characters"};
  }
  if (!isPlainText(e.text, kMaxEventTextChars, true)) {
    return FieldProblem{"text", "must be text of at most 256 characters"};
  }
  return std::nullopt;
}

std::expected<EnqueueResult, FieldProblem> submitDirectMessage(Store& store,
                                                               const NotifySettings& settings,
                                                               const DirectMessage& m,
                                                               int64_t nowMs) {
  auto found = findTemplate(settings, m.templateName);
  if (auto problem = checkDirectMessage(found, m)) return std::unexpected(*problem);
  const TemplateSpec* spec = *found;
  auto account = store.findByUnionid(m.unionid);
  std::string touser = account && account->subscribed ? account->oaOpenid : "";
  auto unread = store.notifications().unreadSummary(m.unionid);
  TemplateMessage rendered =
      renderTemplate(*spec, settings.typeLabels, touser, unread ? &*unread : nullptr, m.params);
  NewMessage message{"api:" + m.idempotencyKey, m.unionid, touser, spec->name,
                     encodePayload(rendered),   0};
  return store.notifications().enqueue(message, nowMs);
}

}  // namespace wxb
