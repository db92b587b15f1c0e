#include "bridge/routes/message_routes.h"

#include <algorithm>
#include <charconv>

#include "bridge/routes/message_params.h"
#include "bridge/routes/responses.h"
#include "cron/iso_time.h"
#include "notify/messages.h"
#include "notify/preferences.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

std::variant<DirectMessage, ApiResponse> parseMessage(const nlohmann::json& body) {
  DirectMessage m;
  const char* keys[] = {"idempotency_key", "unionid", "template"};
  std::string* fields[] = {&m.idempotencyKey, &m.unionid, &m.templateName};
  for (size_t i = 0; i < 3; ++i) {
    auto found = body.find(keys[i]);
    if (found == body.end() || !found->is_string())
      return invalidField(keys[i], "must be a string");
    *fields[i] = found->get<std::string>();
  }
  if (!isValidWechatId(m.unionid)) return invalidId("unionid");
  if (auto channel = body.find("channel"); channel != body.end() && !channel->is_null()) {
    if (!channel->is_string()) return invalidField("channel", "must be a string");
    m.channel = channel->get<std::string>();
  }
  auto params = parseMessageParams(body);
  if (auto* error = std::get_if<ApiResponse>(&params)) return *error;
  m.params = std::move(std::get<MessageParams>(params));
  if (auto urgent = body.find("urgent"); urgent != body.end() && !urgent->is_null()) {
    if (!urgent->is_boolean()) return invalidField("urgent", "must be true or false");
    m.urgent = urgent->get<bool>();
  }
  return m;
}

nlohmann::json orNull(int64_t value) { return value ? nlohmann::json(value) : nlohmann::json(); }

nlohmann::json messageJson(const OutboxMessage& m) {
  return {{"message_id", m.id},
          {"state", outboxStateName(m.state)},
          {"attempts", m.attempts},
          {"errcode", m.errcode ? nlohmann::json(m.errcode) : nlohmann::json()},
          {"error", m.error.empty() ? nlohmann::json() : nlohmann::json(m.error)},
          // A string: msgids pass 2^53, where JSON numbers lose digits in most clients.
          {"msgid", m.msgid ? nlohmann::json(std::to_string(m.msgid)) : nlohmann::json()},
          {"template", m.templateName},
          {"channel", m.channel.empty() ? nlohmann::json() : nlohmann::json(m.channel)},
          {"send_class", sendClassName(static_cast<SendClass>(std::clamp(m.sendClass, 0, 3)))},
          {"unionid", m.unionid},
          {"digest_run", orNull(m.digestRun)},
          {"created_at", formatIsoUtc(m.createdAtMs)},
          {"updated_at", formatIsoUtc(m.updatedAtMs)},
          {"sent_at", m.sentAtMs ? nlohmann::json(formatIsoUtc(m.sentAtMs)) : nlohmann::json()},
          // The platform's receipt (TEMPLATESENDJOBFINISH): delivered, blocked or failed.
          {"delivery", m.delivery.empty() ? nlohmann::json() : nlohmann::json(m.delivery)},
          {"delivery_at",
           m.deliveryAtMs ? nlohmann::json(formatIsoUtc(m.deliveryAtMs)) : nlohmann::json()}};
}

}  // namespace

void MessageRoutes::addTo(Router& router) {
  router.add(
      groupRoute("POST", "/v1/messages", Access::ApiKey, this, &MessageRoutes::createMessage));
  router.add(
      groupRoute("GET", "/v1/messages/{id}", Access::ApiKey, this, &MessageRoutes::getMessage));
}

ApiResponse MessageRoutes::createMessage(const ApiRequest& request) {
  auto parsed = parseJsonObject(
      request.body, {"idempotency_key", "unionid", "template", "params", "channel", "urgent"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto message = parseMessage(std::get<nlohmann::json>(parsed));
  if (auto* error = std::get_if<ApiResponse>(&message)) return *error;
  const DirectMessage& m = std::get<DirectMessage>(message);
  const int64_t now = clock_.nowMs();
  // A user in quiet hours gets it at their end, unless it is urgent.
  const NoticePrefs prefs =
      resolvePreferences(notices_.preferences(m.unionid).value_or(Preferences{}), defaults_);
  const int64_t due = deliverableAt(prefs.quietHours, prefs.zone, m.urgent, now);
  auto result = submitDirectMessage(accounts_, notifications_, settings_, m, now, due);
  if (!result) return invalidField(result.error().field, result.error().problem);
  if (result->created) wakeSender_();
  return apiJson(result->created ? 202 : 200, {{"message_id", result->id}});
}

ApiResponse MessageRoutes::getMessage(const ApiRequest& request) {
  const std::string& text = request.params.at("id");
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return apiError(404, "not_found", "id: no message has this id");
  }
  auto message = notifications_.message(id);
  if (!message) return apiError(404, "not_found", "id: no message has this id");
  return apiJson(200, messageJson(*message));
}

}  // namespace wxb
