// The credential calls, which need the appsecret rather than an access_token (the two token
// endpoints and the mini-program login), and the token probe, which checks one given token.
// None of them goes through the TokenSource.
#include <nlohmann/json.hpp>

#include "wechat/client_call.h"
#include "wechat/response_fields.h"
#include "wechat/wechat_client.h"

namespace wxb {

namespace {

using namespace wechat_json;

constexpr const char* kTokenApi = "/cgi-bin/token";
constexpr const char* kStableTokenApi = "/cgi-bin/stable_token";
constexpr const char* kJscode2sessionApi = "/sns/jscode2session";
constexpr const char* kProbeApi = "/cgi-bin/get_api_domain_ip";
// WECHAT.md asks to reserve at least 512 bytes; anything far longer is not a token.
constexpr size_t kMaxTokenBytes = 2048;

bool plausibleToken(const std::string& token) { return isOpaqueToken(token, kMaxTokenBytes); }

AccessToken parseAccessToken(const nlohmann::json& body) {
  AccessToken token{requireString(body, "access_token"), requireInt(body, "expires_in")};
  if (!plausibleToken(token.token)) {
    throw BadField("field 'access_token' is empty, too long or not printable ASCII");
  }
  if (token.expiresInSeconds <= 0) throw BadField("field 'expires_in' is not positive");
  return token;
}

MpSession parseSession(const nlohmann::json& body) {
  MpSession session{requireOpenid(body, "openid"), requireString(body, "session_key"),
                    optionalOpenid(body, "unionid")};
  if (session.sessionKey.empty()) throw BadField("field 'session_key' is empty");
  return session;
}

}  // namespace

WechatResult<AccessToken> WechatClient::fetchToken(App app) {
  Call call = Call::get(kTokenApi, app);
  call.query = {
      {"grant_type", "client_credential"}, {"appid", appid(app)}, {"secret", secret(app)}};
  return parseAnswer(call.api, callPlain(call), parseAccessToken);
}

WechatResult<AccessToken> WechatClient::fetchStableToken(App app, bool forceRefresh) {
  // A forced refresh that may have reached the platform is not repeated: each one rotates the
  // token and spends one of the 20 a day.
  Call call = Call::post(kStableTokenApi, app,
                         toJsonText({{"grant_type", "client_credential"},
                                     {"appid", appid(app)},
                                     {"secret", secret(app)},
                                     {"force_refresh", forceRefresh}}));
  call.idempotent = !forceRefresh;
  return parseAnswer(call.api, callPlain(call), parseAccessToken);
}

WechatResult<void> WechatClient::probeToken(App app, const std::string& token) {
  if (!plausibleToken(token)) {
    return std::unexpected(
        WechatError{WechatError::Kind::TokenInvalid, kProbeApi, 0, "not a plausible token"});
  }
  Call call = Call::get(kProbeApi, app);
  auto answer = callWithRetries(call, &token);
  if (!answer) return std::unexpected(answer.error());
  return {};
}

WechatResult<MpSession> WechatClient::jscode2session(const std::string& code) {
  if (code.empty() || code.size() > 256) {
    return std::unexpected(WechatError{WechatError::Kind::Permanent, kJscode2sessionApi, 0,
                                       "login code must be 1-256 characters"});
  }
  // A code is single use: a resend after a lost answer could only get 40163.
  Call call = Call::get(kJscode2sessionApi, App::Mp);
  call.idempotent = false;
  call.query = {{"appid", appid(App::Mp)},
                {"secret", secret(App::Mp)},
                {"js_code", code},
                {"grant_type", "authorization_code"}};
  return parseAnswer(call.api, callPlain(call), parseSession);
}

}  // namespace wxb
