// Sending: OA template messages and MP subscribe messages. A send is recorded (and a subscribe
// grant consumed) only after every check passed.
#include <algorithm>
#include <cctype>

#include "fake_wechat/router.h"
#include "fake_wechat/value_rules.h"

namespace wxb::fake {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxClientMsgId = 128;

std::variant<nlohmann::json, Reply> parseBody(const Call& call) {
  if (call.body.empty()) return platformError(44002);
  auto body = parseObject(call.body);
  if (!body) return platformError(47001);
  return std::move(*body);
}

bool isInvalidTemplateId(const std::optional<std::string>& id) {
  return !id || id->empty() || id->starts_with("bad");
}

// The optional member `key`: absent or null gives nullopt; present but not a string is an error.
std::variant<std::optional<std::string>, Reply> optionalString(const nlohmann::json& object,
                                                               const char* key) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::optional<std::string>{};
  if (!found->is_string()) return platformError(47001);
  return std::optional<std::string>(found->get<std::string>());
}

// data.KEY.value of every field, in key order.
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

// Where the message opens: {"miniprogram":{...}} wins over {"url":...}; null for neither.
std::variant<nlohmann::json, Reply> templateOpens(const Platform& platform,
                                                  const nlohmann::json& body) {
  auto url = optionalString(body, "url");
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
  if (auto& link = std::get<0>(url)) return nlohmann::json{{"url", *link}};
  return nlohmann::json(nullptr);
}

struct ShownFields {
  nlohmann::json shown = nlohmann::json::object();
  nlohmann::json folded = nlohmann::json::array();
};

std::variant<ShownFields, Reply> templateFields(const Fields& fields, bool category) {
  ShownFields out;
  for (const auto& [key, value] : fields) {
    if (category) {
      if (auto problem = categoryValueProblem(key, value)) {
        return argumentInvalid("data." + key + ".value " + *problem);
      }
      out.shown[key] = value;
      continue;
    }
    bool folded = false;
    out.shown[key] = foldTemplateValue(value, &folded);
    if (folded) out.folded.push_back(key);
  }
  return out;
}

std::optional<Reply> checkFollower(const Platform& platform,
                                   const std::optional<std::string>& touser) {
  if (!touser || !isWellFormedId(*touser)) return platformError(40003);
  auto follower = platform.population.find(*touser);
  if (!follower) return platformError(40003);
  if (!follower->subscribed) return platformError(43004);
  return std::nullopt;
}

Reply templateSend(Platform& platform, const ApiRequest& request) {
  auto parsed = parseBody(request.call);
  if (auto* refusal = std::get_if<Reply>(&parsed)) return std::move(*refusal);
  const nlohmann::json& body = std::get<0>(parsed);
  auto touser = stringMember(body, "touser");
  if (!touser || !isWellFormedId(*touser)) return platformError(40003);
  auto templateId = stringMember(body, "template_id");
  if (isInvalidTemplateId(templateId)) return platformError(40037);
  if (auto refusal = checkFollower(platform, touser)) return std::move(*refusal);
  auto opens = templateOpens(platform, body);
  if (auto* refusal = std::get_if<Reply>(&opens)) return std::move(*refusal);
  auto clientMsgId = optionalString(body, "client_msg_id");
  if (auto* refusal = std::get_if<Reply>(&clientMsgId)) return std::move(*refusal);
  std::string dedupId = std::get<0>(clientMsgId).value_or("");
  if (dedupId.size() > kMaxClientMsgId) return argumentInvalid("client_msg_id longer than 128");
  auto fields = dataFields(body);
  if (auto* refusal = std::get_if<Reply>(&fields)) return std::move(*refusal);
  auto shown = templateFields(std::get<0>(fields), platform.templates.isCategory(*templateId));
  if (auto* refusal = std::get_if<Reply>(&shown)) return std::move(*refusal);
  auto& view = std::get<0>(shown);
  nlohmann::json entry = {{"api", "template"},
                          {"body", body},
                          {"shown", view.shown},
                          {"folded", view.folded},
                          {"opens", std::get<0>(opens)}};
  std::string dedupKey = dedupId.empty() ? "" : *touser + '\x1f' + dedupId;
  DeliveryOutcome outcome = platform.deliveries.record(std::move(entry), dedupKey);
  return platformOk({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", outcome.msgid}});
}

// A subscribe-message page is a mini-program path: "pages/..." plus an optional query.
bool isValidPage(const std::string& page) {
  std::string_view path = std::string_view(page).substr(0, page.find('?'));
  bool charsOk = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '/';
  });
  return charsOk && path.starts_with("pages/") && path.size() > 6 && !path.ends_with("/") &&
         path.find("..") == std::string_view::npos && path.find("//") == std::string_view::npos;
}

std::optional<Reply> checkSubscribeOptions(const nlohmann::json& body) {
  auto page = optionalString(body, "page");
  auto state = optionalString(body, "miniprogram_state");
  auto lang = optionalString(body, "lang");
  for (const auto* member : {&page, &state, &lang}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  if (auto& value = std::get<0>(page); value && !isValidPage(*value)) return platformError(41030);
  if (auto& value = std::get<0>(state);
      value && *value != "developer" && *value != "trial" && *value != "formal") {
    return argumentInvalid("miniprogram_state must be developer, trial or formal");
  }
  if (auto& value = std::get<0>(lang);
      value && *value != "zh_CN" && *value != "en_US" && *value != "zh_HK" && *value != "zh_TW") {
    return argumentInvalid("lang must be zh_CN, en_US, zh_HK or zh_TW");
  }
  return std::nullopt;
}

std::optional<Reply> checkSubscribeFields(const Fields& fields) {
  for (const auto& [key, value] : fields) {
    if (auto problem = subscribeValueProblem(key, value)) {
      return argumentInvalid("data." + key + ".value " + *problem);
    }
  }
  return std::nullopt;
}

Reply subscribeSend(Platform& platform, const ApiRequest& request) {
  auto parsed = parseBody(request.call);
  if (auto* refusal = std::get_if<Reply>(&parsed)) return std::move(*refusal);
  const nlohmann::json& body = std::get<0>(parsed);
  auto touser = stringMember(body, "touser");
  if (!touser || !isWellFormedId(*touser)) return platformError(40003);
  auto templateId = stringMember(body, "template_id");
  if (isInvalidTemplateId(templateId)) return platformError(40037);
  if (auto refusal = checkSubscribeOptions(body)) return std::move(*refusal);
  if (!platform.miniProgram.hasGrant(*touser, *templateId)) return platformError(43101);
  auto fields = dataFields(body);
  if (auto* refusal = std::get_if<Reply>(&fields)) return std::move(*refusal);
  if (auto refusal = checkSubscribeFields(std::get<0>(fields))) return std::move(*refusal);
  if (!platform.miniProgram.consumeGrant(*touser, *templateId)) return platformError(43101);
  DeliveryOutcome outcome = platform.deliveries.record({{"api", "subscribe"}, {"body", body}}, "");
  return platformOk({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", outcome.msgid}});
}

}  // namespace

std::vector<ApiRoute> messageRoutes() {
  return {
      {"/cgi-bin/message/template/send", Auth::kOa, templateSend},
      {"/cgi-bin/message/subscribe/send", Auth::kMp, subscribeSend},
  };
}

}  // namespace wxb::fake
