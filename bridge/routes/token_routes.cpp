#include "bridge/routes/token_routes.h"

#include "bridge/routes/responses.h"
#include "cron/iso_time.h"

namespace wxb {

namespace {

constexpr size_t kMaxTokenChars = 2048;

ApiResponse tokenResponse(const WechatResult<StoredToken>& token, int64_t nowMs) {
  if (!token) return upstreamError(token.error());
  return apiJson(200, {{"access_token", token->accessToken},
                       {"expires_at", formatIsoUtc(token->expiresAtMs)},
                       {"expires_in", (token->expiresAtMs - nowMs) / 1000}});
}

bool isStaleToken(const nlohmann::json& body) {
  auto found = body.find("stale_token");
  if (found == body.end() || !found->is_string()) return false;
  const auto& token = found->get_ref<const std::string&>();
  return !token.empty() && token.size() <= kMaxTokenChars;
}

}  // namespace

void TokenRoutes::addTo(Router& router) {
  router.add(groupRoute("GET", "/v1/tokens/{app}", Access::ApiKey, this, &TokenRoutes::getToken));
  router.add(groupRoute("POST", "/v1/tokens/{app}:refresh", Access::ApiKey, this,
                        &TokenRoutes::refreshToken));
}

std::variant<App, ApiResponse> TokenRoutes::configuredApp(const ApiRequest& request) const {
  App app;
  if (!parseApp(request.params.at("app"), app)) {
    return apiError(404, "not_found", "app: must be oa or mp");
  }
  if (!configured_.count(app))
    return appNotConfigured(std::string("wechat.") + appName(app) + ".appid");
  return app;
}

ApiResponse TokenRoutes::getToken(const ApiRequest& request) {
  auto app = configuredApp(request);
  if (auto* error = std::get_if<ApiResponse>(&app)) return *error;
  return tokenResponse(tokens_.currentToken(std::get<App>(app)), clock_.nowMs());
}

ApiResponse TokenRoutes::refreshToken(const ApiRequest& request) {
  auto app = configuredApp(request);
  if (auto* error = std::get_if<ApiResponse>(&app)) return *error;
  auto parsed = parseJsonObject(request.body, {"stale_token"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  if (!isStaleToken(body))
    return invalidField("stale_token", "must be the token the platform rejected");
  return tokenResponse(tokens_.refreshStale(std::get<App>(app), body["stale_token"]),
                       clock_.nowMs());
}

}  // namespace wxb
