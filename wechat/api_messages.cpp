// The sending calls (OA template message, MP subscribe message, OA subscribe notification) and
// the quota calls that go with them. The outbox in notify/ is the main caller.
#include <nlohmann/json.hpp>

#include "wechat/client_call.h"
#include "wechat/response_fields.h"
#include "wechat/wechat_client.h"

namespace wxb {

namespace {

using namespace wechat_json;

constexpr const char* kTemplateSendApi = "/cgi-bin/message/template/send";
constexpr const char* kSubscribeSendApi = "/cgi-bin/message/subscribe/send";
constexpr const char* kBizSendApi = "/cgi-bin/message/subscribe/bizsend";
constexpr const char* kQuotaGetApi = "/cgi-bin/openapi/quota/get";
constexpr const char* kClearQuotaApi = "/cgi-bin/clear_quota";

nlohmann::json valueMap(const std::map<std::string, std::string>& data) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : data) object[key] = {{"value", value}};
  return object;
}

nlohmann::json miniprogramLink(const MiniProgramLink& link) {
  return {{"appid", link.appid}, {"pagepath", link.pagepath}};
}

nlohmann::json templateBody(const TemplateMessage& message) {
  nlohmann::json body = {{"touser", message.touser},
                         {"template_id", message.templateId},
                         {"data", valueMap(message.data)}};
  if (!message.url.empty()) body["url"] = message.url;
  if (message.miniprogram) body["miniprogram"] = miniprogramLink(*message.miniprogram);
  if (!message.clientMsgId.empty()) body["client_msg_id"] = message.clientMsgId;
  return body;
}

nlohmann::json subscribeBody(const SubscribeMessage& message) {
  nlohmann::json body = {{"touser", message.touser},
                         {"template_id", message.templateId},
                         {"miniprogram_state", message.miniprogramState},
                         {"lang", message.lang},
                         {"data", valueMap(message.data)}};
  if (!message.page.empty()) body["page"] = message.page;
  return body;
}

nlohmann::json bizSendBody(const BizSubscribeMessage& message) {
  nlohmann::json body = {{"touser", message.touser},
                         {"template_id", message.templateId},
                         {"data", valueMap(message.data)}};
  if (!message.page.empty()) body["page"] = message.page;
  if (message.miniprogram) body["miniprogram"] = miniprogramLink(*message.miniprogram);
  return body;
}

int64_t parseMsgid(const nlohmann::json& body) {
  const int64_t msgid = requireInt(body, "msgid");
  if (msgid <= 0) throw BadField("field 'msgid' is not positive");
  return msgid;
}

// Subscribe sends: the msgid when the answer has one (it ties a subscribe_msg_sent_event to
// the send), else 0.
int64_t optionalMsgid(const nlohmann::json& body) {
  return body.contains("msgid") ? parseMsgid(body) : 0;
}

ApiQuota parseQuota(const nlohmann::json& body) {
  const nlohmann::json& quota = requireObject(body, "quota");
  ApiQuota result{requireInt(quota, "daily_limit"), requireInt(quota, "used"),
                  requireInt(quota, "remain")};
  if (result.dailyLimit < 0 || result.used < 0 || result.remain < 0) {
    throw BadField("field 'quota' holds a negative number");
  }
  return result;
}

std::optional<WechatError> checkRecipient(const char* api, const std::string& touser,
                                          const std::string& templateId) {
  if (!isValidWechatId(touser)) {
    return WechatError{WechatError::Kind::Permanent, api, 0,
                       std::string("touser is not ") + kWechatIdRule};
  }
  if (templateId.empty()) {
    return WechatError{WechatError::Kind::Permanent, api, 0, "template_id is empty"};
  }
  return std::nullopt;
}

}  // namespace

WechatResult<int64_t> WechatClient::sendTemplate(const TemplateMessage& message) {
  if (auto invalid = checkRecipient(kTemplateSendApi, message.touser, message.templateId)) {
    return std::unexpected(*invalid);
  }
  // Without client_msg_id the platform cannot tell a resend from a new message, so a send
  // that may have reached it is not repeated.
  Call call = Call::post(kTemplateSendApi, App::Oa, toJsonText(templateBody(message)));
  call.idempotent = !message.clientMsgId.empty();
  return parseAnswer(call.api, callWithToken(call), parseMsgid);
}

WechatResult<int64_t> WechatClient::sendSubscribe(const SubscribeMessage& message) {
  if (auto invalid = checkRecipient(kSubscribeSendApi, message.touser, message.templateId)) {
    return std::unexpected(*invalid);
  }
  // Each delivery spends one of the user's one-time grants: never resend on a lost answer.
  Call call = Call::post(kSubscribeSendApi, App::Mp, toJsonText(subscribeBody(message)));
  call.idempotent = false;
  return parseAnswer(call.api, callWithToken(call), optionalMsgid);
}

WechatResult<int64_t> WechatClient::sendBizSubscribe(const BizSubscribeMessage& message) {
  if (auto invalid = checkRecipient(kBizSendApi, message.touser, message.templateId)) {
    return std::unexpected(*invalid);
  }
  Call call = Call::post(kBizSendApi, App::Oa, toJsonText(bizSendBody(message)));
  call.idempotent = false;  // spends a grant, deduplicated by nobody
  return parseAnswer(call.api, callWithToken(call), optionalMsgid);
}

WechatResult<ApiQuota> WechatClient::quotaGet(const std::string& cgiPath, App app) {
  Call call = Call::post(kQuotaGetApi, app, toJsonText({{"cgi_path", cgiPath}}));
  return parseAnswer(call.api, callWithToken(call), parseQuota);
}

WechatResult<void> WechatClient::clearQuota(App app) {
  // 10 a month: a resend after a lost answer would spend another one.
  Call call = Call::post(kClearQuotaApi, app, toJsonText({{"appid", appid(app)}}));
  call.idempotent = false;
  WechatResult<nlohmann::json> result = callWithToken(call);
  if (!result) return std::unexpected(result.error());
  return {};
}

}  // namespace wxb
