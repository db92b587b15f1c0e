// /v1/tokens: the central access_token service for business servers that must not fetch tokens
// themselves (a second fetcher would invalidate ours).
#include "bridge/routes/routes.h"
#include "cron/iso_time.h"

namespace wxb {

namespace {

constexpr size_t kMaxTokenChars = 2048;

std::variant<App, ApiResponse> configuredApp(RouteContext& ctx, const ApiRequest& request) {
  App app;
  if (!parseApp(request.params.at("app"), app)) {
    return apiError(404, "not_found", "app: must be oa or mp");
  }
  if (requireApp(ctx.services.settings, app)) {
    return apiError(404, "app_not_configured",
                    std::string("wechat.") + appName(app) + ".appid is not configured");
  }
  return app;
}

ApiResponse tokenResponse(const WechatResult<StoredToken>& token, int64_t nowMs) {
  if (!token) return upstreamError(token.error());
  return apiJson(200, {{"access_token", token->accessToken},
                       {"expires_at", formatIsoUtc(token->expiresAtMs)},
                       {"expires_in", (token->expiresAtMs - nowMs) / 1000}});
}

}  // namespace

ApiResponse getToken(RouteContext& ctx, const ApiRequest& request) {
  auto app = configuredApp(ctx, request);
  if (auto* error = std::get_if<ApiResponse>(&app)) return *error;
  return tokenResponse(ctx.services.tokens->currentToken(std::get<App>(app)),
                       ctx.services.clock.nowMs());
}

ApiResponse refreshToken(RouteContext& ctx, const ApiRequest& request) {
  auto app = configuredApp(ctx, request);
  if (auto* error = std::get_if<ApiResponse>(&app)) return *error;
  auto parsed = parseJsonObject(request.body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  if (!body.contains("stale_token") || !body["stale_token"].is_string() ||
      body["stale_token"].get_ref<const std::string&>().empty() ||
      body["stale_token"].get_ref<const std::string&>().size() > kMaxTokenChars) {
    return invalidField("stale_token", "must be the token the platform rejected");
  }
  return tokenResponse(ctx.services.tokens->refreshStale(std::get<App>(app), body["stale_token"]),
                       ctx.services.clock.nowMs());
}

}  // namespace wxb
