#include "notify/messages.h"

#include <set>
#include <vector>

#include "notify/text_fit.h"

namespace wxb {

namespace {

constexpr const char* kEventTypeRule = "must be 1-32 characters of a-z 0-9 _";

std::string known(const NotifySettings& settings) {
  std::string names;
  for (const auto& [name, spec] : settings.templates) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none configured" : "configured: " + names;
}

std::optional<FieldProblem> checkDirectMessage(
    const std::expected<const TemplateSpec*, FieldProblem>& spec, const DirectMessage& m) {
  if (auto problem = idempotencyKeyProblem(m.idempotencyKey)) {
    return FieldProblem{"idempotency_key", *problem};
  }
  if (!spec) return spec.error();
  return checkParams(**spec, m.params);
}

std::string channelList(const std::set<Channel>& channels) {
  std::string names;
  for (Channel c : channels) names += (names.empty() ? "" : ", ") + std::string(channelName(c));
  return names;
}

}  // namespace

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
  return trailingSpaceProblem(key);
}

std::expected<std::vector<Channel>, FieldProblem> channelsFor(const TemplateSpec& spec,
                                                              const NotifySettings& settings,
                                                              const std::string& requested) {
  std::optional<Channel> channel = requested.empty() ? spec.channel : parseChannel(requested);
  if (!channel && requested != "auto") {
    return std::unexpected(
        FieldProblem{"channel", "must be auto, oa_template, mp_subscribe or oa_subscribe"});
  }
  auto candidates = candidateChannels(channel, spec.channels(), settings.channelOrder);
  if (candidates.empty()) {
    return std::unexpected(FieldProblem{
        "channel",
        "template " + spec.name + " has no form for " +
            (channel ? std::string(channelName(*channel)) : "any channel of notify.channels") +
            " (it has: " + channelList(spec.channels()) + ")"});
  }
  return candidates;
}

std::expected<NewMessage, FieldProblem> outboxMessage(
    const TemplateSpec& spec, const NotifySettings& settings, const std::vector<Channel>& channels,
    bool autoChannel, const UnreadSummary* unread, const MessageParams& params,
    const std::string& key, const std::string& unionid, const std::string& touser,
    SendClass sendClass) {
  auto payload = renderPayload(spec, channels, autoChannel, settings.typeLabels, unread, params);
  if (!payload) return std::unexpected(payload.error());
  NewMessage message{key, unionid, touser, spec.name, encodeOutboxPayload(*payload), 0};
  // One template form: sent to the follower known now; otherwise chosen when it is sent.
  if (channels != std::vector{Channel::OaTemplate}) message.channel = "";
  message.sendClass = static_cast<int>(spec.priority.value_or(sendClass));
  return message;
}

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
    if (auto problem = freeTextProblem(value, kMaxParamChars)) {
      return FieldProblem{"params." + name, *problem};
    }
  }
  return std::nullopt;
}

std::optional<FieldProblem> checkEvent(const NotifyEvent& e) {
  if (auto problem = identifierProblem(e.eventId, kMaxEventIdChars)) {
    return FieldProblem{"event_id", *problem};
  }
  if (!isValidEventType(e.type)) return FieldProblem{"type", kEventTypeRule};
  if (auto problem = freeTextProblem(e.actor, kMaxEventTextChars)) {
    return FieldProblem{"actor", *problem};
  }
  if (auto problem = freeTextProblem(e.text, kMaxEventTextChars)) {
    return FieldProblem{"text", *problem};
  }
  return std::nullopt;
}

std::optional<FieldProblem> checkKnownType(const std::string& field, const std::string& type,
                                           const std::set<std::string>& knownTypes) {
  if (!isValidEventType(type)) return FieldProblem{field, kEventTypeRule};
  if (knownTypes.empty() || knownTypes.count(type)) return std::nullopt;
  std::string listed;
  for (const auto& name : knownTypes) listed += (listed.empty() ? "" : ", ") + name;
  return FieldProblem{field, "unknown event type (known: " + listed + ")"};
}

std::expected<EnqueueResult, FieldProblem> submitDirectMessage(Accounts& accounts,
                                                               Notifications& notifications,
                                                               const NotifySettings& settings,
                                                               const DirectMessage& m,
                                                               int64_t nowMs, int64_t dueAtMs) {
  auto found = findTemplate(settings, m.templateName);
  if (auto problem = checkDirectMessage(found, m)) return std::unexpected(*problem);
  const TemplateSpec* spec = *found;
  auto candidates = channelsFor(*spec, settings, m.channel);
  if (!candidates) return std::unexpected(candidates.error());
  auto unread = notifications.unreadSummary(m.unionid);
  auto account = accounts.findByUnionid(m.unionid);
  // A follower who blocked template messages gets none until the next follow (docs/callback.md).
  const bool reachable = account && account->subscribed && account->refusesTemplatesSinceMs == 0;
  auto message = outboxMessage(*spec, settings, *candidates, m.channel == "auto",
                               unread ? &*unread : nullptr, m.params, "api:" + m.idempotencyKey,
                               m.unionid, reachable ? account->oaOpenid : "", SendClass::Direct);
  if (!message) return std::unexpected(message.error());
  message->dueAtMs = dueAtMs;
  return notifications.enqueue(*message, nowMs);
}

}  // namespace wxb
