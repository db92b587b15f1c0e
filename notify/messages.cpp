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

std::optional<FieldProblem> checkDirectMessage(const TemplateSpec* spec,
                                               const NotifySettings& settings,
                                               const DirectMessage& m) {
  if (!isPrintableAscii(m.idempotencyKey, kMaxIdempotencyKeyChars)) {
    return FieldProblem{"idempotency_key", "must be 1-128 printable ASCII characters"};
  }
  if (!spec) return FieldProblem{"template", "unknown template (" + known(settings) + ")"};
  for (const auto& name : spec->paramNames()) {
    if (!m.params.count(name)) {
      return FieldProblem{"params." + name, "required by template " + spec->name};
    }
  }
  for (const auto& [name, value] : m.params) {
    if (!isPlainText(value, kMaxParamChars, true)) {
      return FieldProblem{"params." + name, "must be text of at most 256 characters"};
    }
  }
  return std::nullopt;
}

}  // namespace

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
