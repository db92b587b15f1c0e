// Account-level APIs: openapi/quota/get, clear_quota, get_api_domain_ip and the mini
// program's jscode2session.
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

const std::string kJscodePath = "/sns/jscode2session";

Reply quotaGet(Platform& platform, const ApiRequest& request) {
  if (request.call.body.empty()) return platformError(44002);
  auto body = parseObject(request.call.body);
  if (!body) return platformError(47001);
  auto given = stringMember(*body, "cgi_path");
  if (!given) return platformError(47001);
  auto path = canonicalApiPath(*given);
  if (!path || *path != *given) return platformError(76021);
  QuotaView view = platform.quotas.view(request.app, *path);
  return platformOk(
      {{"errcode", 0},
       {"errmsg", "ok"},
       {"quota",
        {{"daily_limit", view.dailyLimit}, {"used", view.used}, {"remain", view.remain}}}});
}

Reply clearQuota(Platform& platform, const ApiRequest& request) {
  if (request.call.body.empty()) return platformError(44002);
  auto body = parseObject(request.call.body);
  if (!body) return platformError(47001);
  auto appid = stringMember(*body, "appid");
  if (!appid || appid->empty()) return platformError(41002);
  if (*appid != platform.credentials(request.app).appid) return platformError(40013);
  if (!platform.quotas.clear(request.app)) return platformError(48006);
  return platformOk({{"errcode", 0}, {"errmsg", "ok"}});
}

// The platform's documented example answer; any OA or MP token may ask.
Reply apiDomainIp(Platform&, const ApiRequest&) {
  return platformOk({{"ip_list", nlohmann::json::array({"101.89.47.18", "101.91.34.103"})}});
}

// The refusal of jscode2session's query parameters, if any.
std::optional<int> checkLoginParams(const Platform& platform, const Call& call) {
  const std::string* appid = call.param("appid");
  const std::string* secret = call.param("secret");
  const std::string* code = call.param("js_code");
  const std::string* grantType = call.param("grant_type");
  if (appid == nullptr || appid->empty()) return 41002;
  if (secret == nullptr || secret->empty()) return 41004;
  if (code == nullptr || code->empty()) return 41008;
  if (grantType == nullptr || *grantType != "authorization_code") return 40002;
  if (*appid != platform.settings.mp.appid) return 40013;
  if (*secret != platform.settings.mp.secret) return 40125;
  return std::nullopt;
}

Reply jscode2session(Platform& platform, const ApiRequest& request) {
  if (auto code = checkLoginParams(platform, request.call)) return platformError(*code);
  if (!platform.quotas.consume(App::kMp, kJscodePath)) return platformError(45009);
  auto session = platform.miniProgram.exchange(*request.call.param("js_code"));
  if (const int* code = std::get_if<int>(&session)) return platformError(*code);
  const MpSession& granted = std::get<MpSession>(session);
  nlohmann::json body = {{"openid", granted.mpOpenid}, {"session_key", granted.sessionKey}};
  if (!granted.unionid.empty()) body["unionid"] = granted.unionid;
  return platformOk(body);
}

}  // namespace

std::vector<ApiRoute> accountRoutes() {
  return {
      {"/cgi-bin/openapi/quota/get", Auth::kAnyApp, quotaGet},
      {"/cgi-bin/clear_quota", Auth::kAnyApp, clearQuota},
      {"/cgi-bin/get_api_domain_ip", Auth::kAnyApp, apiDomainIp},
      {kJscodePath, Auth::kNone, jscode2session},
  };
}

}  // namespace wxb::fake
