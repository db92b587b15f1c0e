#include "bridge/routes/mp_session_routes.h"

#include "bridge/routes/responses.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

constexpr size_t kMaxCodeChars = 128;

bool isValidCode(const std::string& code) { return isOpaqueToken(code, kMaxCodeChars); }

nlohmann::json orNull(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

nlohmann::json sessionJson(const MpLoginResult& login) {
  return {{"mp_openid", login.mpOpenid},
          {"unionid", orNull(login.unionid)},
          {"oa_openid", orNull(login.account ? login.account->oaOpenid : "")},
          {"subscribed", login.account && login.account->subscribed}};
}

ApiResponse refused(const WechatError& error) {
  if (error.errcode == kBadLoginCode || error.errcode == kUsedLoginCode) {
    return invalidField(
        "code", "invalid, expired or already used (errcode " + std::to_string(error.errcode) + ")");
  }
  if (error.errcode == kHighRiskUser) return apiError(403, "high_risk_user", error.describe());
  return upstreamError(error);
}

}  // namespace

void MpSessionRoutes::addTo(Router& router) {
  router.add(
      groupRoute("POST", "/v1/mp/sessions", Access::ApiKey, this, &MpSessionRoutes::createSession));
}

ApiResponse MpSessionRoutes::createSession(const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body, {"code"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  if (!body.contains("code") || !body["code"].is_string() || !isValidCode(body["code"])) {
    return invalidField("code",
                        "must be the login code from wx.login (1-128 printable characters)");
  }
  if (!login_) return appNotConfigured("wechat.mp.appid");
  auto login = login_->login(body["code"]);
  if (!login) return refused(login.error());
  return apiJson(200, sessionJson(*login));
}

}  // namespace wxb
