#include "fake_wechat/message_fields.h"

#include "fake_wechat/value_rules.h"

namespace wxb::fake {

namespace {

// The body as a JSON object: empty 44002, malformed 47001.
std::variant<nlohmann::json, Reply> parseBody(const Call& call) {
  if (call.body.empty()) return platformError(44002);
  auto body = parseObject(call.body);
  if (!body) return platformError(47001);
  return std::move(*body);
}

}  // namespace

std::variant<SendBasics, Reply> readSendBasics(const Call& call) {
  auto parsed = parseBody(call);
  if (auto* refusal = std::get_if<Reply>(&parsed)) return std::move(*refusal);
  nlohmann::json& body = std::get<0>(parsed);
  auto touser = stringMember(body, "touser");
  if (!touser || !isWellFormedId(*touser)) return platformError(40003);
  auto templateId = stringMember(body, "template_id");
  if (!templateId || templateId->empty() || templateId->starts_with("bad")) {
    return platformError(40037);
  }
  return SendBasics{std::move(body), std::move(*touser), std::move(*templateId)};
}

std::variant<std::optional<std::string>, Reply> optionalString(const nlohmann::json& object,
                                                               const char* key) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::optional<std::string>{};
  if (!found->is_string()) return platformError(47001);
  return std::optional<std::string>(found->get<std::string>());
}

std::variant<Fields, Reply> dataFields(const nlohmann::json& body) {
  Fields fields;
  auto data = body.find("data");
  if (data == body.end() || data->is_null()) return fields;
  if (!data->is_object()) return platformError(47001);
  for (const auto& [key, field] : data->items()) {
    auto value = field.is_object() ? stringMember(field, "value") : std::nullopt;
    if (!value) return platformError(47001);
    fields.emplace_back(key, std::move(*value));
  }
  return fields;
}

std::variant<nlohmann::json, Reply> messageOpens(const Platform& platform,
                                                 const nlohmann::json& body, const char* urlKey) {
  auto url = optionalString(body, urlKey);
  if (auto* refusal = std::get_if<Reply>(&url)) return std::move(*refusal);
  auto mini = body.find("miniprogram");
  if (mini != body.end() && !mini->is_null()) {
    if (!mini->is_object()) return platformError(47001);
    auto appid = stringMember(*mini, "appid");
    auto pagepath = optionalString(*mini, "pagepath");
    if (!appid || std::holds_alternative<Reply>(pagepath)) return platformError(47001);
    if (*appid != platform.settings.mp.appid) {
      return argumentInvalid("miniprogram.appid " + *appid + " is not bound to this account");
    }
    auto path = std::get<0>(pagepath).value_or("");
    return nlohmann::json{{"miniprogram", {{"appid", *appid}, {"pagepath", path}}}};
  }
  if (auto& link = std::get<0>(url)) return nlohmann::json{{urlKey, *link}};
  return nlohmann::json(nullptr);
}

std::optional<Reply> checkSubscribeFields(const Fields& fields) {
  for (const auto& [key, value] : fields) {
    if (auto problem = subscribeValueProblem(key, value)) {
      return argumentInvalid("data." + key + ".value " + *problem);
    }
  }
  return std::nullopt;
}

}  // namespace wxb::fake
