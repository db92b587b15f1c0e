#include "notify/messages.h"

#include "notify/template_message.h"
#include "notify/text_fit.h"

namespace wxb {

namespace {

// Why an idempotency key is refused, or nullopt: 1-128 printable ASCII characters, space
// (0x20) to '~' (0x7E).
std::optional<std::string> idempotencyKeyProblem(const std::string& key) {
  const std::string rule = "must be 1-" + std::to_string(kMaxIdempotencyKeyChars) +
                           " printable ASCII characters (space to ~)";
  if (key.empty() || key.size() > kMaxIdempotencyKeyChars) {
    return rule + ", got " + std::to_string(countCodePoints(key));
  }
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] < ' ' || key[i] > '~') {
      return rule + "; byte " + std::to_string(i + 1) + " is not";
    }
  }
  return std::nullopt;
}

std::string known(const NotifySettings& settings) {
  std::string names;
  for (const auto& [name, spec] : settings.templates) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none configured" : "configured: " + names;
}

std::optional<FieldProblem> checkDirectMessage(const TemplateSpec* spec,
                                               const NotifySettings& settings,
                                               const DirectMessage& m) {
  if (auto problem = idempotencyKeyProblem(m.idempotencyKey)) {
    return FieldProblem{"idempotency_key", *problem};
  }
  if (!spec) return FieldProblem{"template", "unknown template (" + known(settings) + ")"};
  for (const auto& name : spec->paramNames()) {
    if (!m.params.count(name)) {
      return FieldProblem{"params." + name, "required by template " + spec->name};
    }
  }
  for (const auto& [name, value] : m.params) {
    if (auto problem = freeTextProblem(value, kMaxParamChars)) {
      return FieldProblem{"params." + name, *problem};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<FieldProblem> checkEvent(const NotifyEvent& e) {
  if (auto problem = identifierProblem(e.eventId, kMaxEventIdChars)) {
    return FieldProblem{"event_id", *problem};
  }
  if (!isValidEventType(e.type)) {
    return FieldProblem{"type", "must be 1-32 characters of a-z 0-9 _"};
  }
  if (auto problem = freeTextProblem(e.actor, kMaxEventTextChars)) {
    return FieldProblem{"actor", *problem};
  }
  if (auto problem = freeTextProblem(e.text, kMaxEventTextChars)) {
    return FieldProblem{"text", *problem};
  }
  return std::nullopt;
}

std::expected<EnqueueResult, FieldProblem> submitDirectMessage(Accounts& accounts,
                                                               Notifications& notifications,
                                                               const NotifySettings& settings,
                                                               const DirectMessage& m,
                                                               int64_t nowMs) {
  auto found = settings.templates.find(m.templateName);
  const TemplateSpec* spec = found == settings.templates.end() ? nullptr : &found->second;
  if (auto problem = checkDirectMessage(spec, settings, m)) return std::unexpected(*problem);
  auto account = accounts.findByUnionid(m.unionid);
  std::string touser = account && account->subscribed ? account->oaOpenid : "";
  auto unread = notifications.unreadSummary(m.unionid);
  TemplateMessage rendered =
      renderTemplate(*spec, settings.typeLabels, touser, unread ? &*unread : nullptr, m.params);
  NewMessage message{"api:" + m.idempotencyKey, m.unionid, touser, spec->name,
                     encodePayload(rendered),   0};
  return notifications.enqueue(message, nowMs);
}

}  // namespace wxb
