#include "bridge/routes/routes.h"

#include "wechat/wechat_types.h"

namespace wxb {

namespace {

Route route(const char* method, const char* pattern, Access access, RouteContext& ctx,
            ApiResponse (*handler)(RouteContext&, const ApiRequest&)) {
  return Route{method, pattern, access,
               [&ctx, handler](const ApiRequest& r) { return handler(ctx, r); }};
}

}  // namespace

void addRoutes(Router& router, RouteContext& ctx) {
  router.add(route("GET", "/v1/accounts/{unionid}", Access::ApiKey, ctx, getAccount));
  router.add(route("POST", "/v1/accounts:lookup", Access::ApiKey, ctx, lookupAccounts));
  router.add(route("POST", "/v1/mp/sessions", Access::ApiKey, ctx, createMpSession));
  router.add(route("GET", "/v1/tokens/{app}", Access::ApiKey, ctx, getToken));
  router.add(route("POST", "/v1/tokens/{app}:refresh", Access::ApiKey, ctx, refreshToken));
  router.add(route("POST", "/v1/sync:run", Access::ApiKey, ctx, startSync));
  router.add(route("GET", "/v1/sync/runs/latest", Access::ApiKey, ctx, latestSyncRun));
  router.add(route("POST", "/v1/events", Access::ApiKey, ctx, recordEvent));
  router.add(route("POST", "/v1/events:read", Access::ApiKey, ctx, markEventsRead));
  router.add(route("POST", "/v1/messages", Access::ApiKey, ctx, createMessage));
  router.add(route("GET", "/v1/messages/{id}", Access::ApiKey, ctx, getMessage));
  router.add(route("GET", "/healthz", Access::Public, ctx, healthz));
  router.add(route("GET", "/readyz", Access::Public, ctx, readyz));
  router.add(route("GET", "/metrics", Access::Allowlist, ctx, metricsText));
}

ApiResponse invalidField(const std::string& field, const std::string& problem) {
  return apiError(400, "invalid_field", field + ": " + problem);
}

ApiResponse invalidId(const std::string& field) {
  return invalidField(field, std::string("must be ") + kWechatIdRule);
}

ApiResponse upstreamError(const WechatError& error) {
  using Kind = WechatError::Kind;
  if (error.kind == Kind::Quota || error.kind == Kind::Frequency) {
    return apiError(429, "upstream_rate_limited", error.describe());
  }
  if (error.kind == Kind::IpWhitelist) {
    return apiError(502, "upstream_ip_not_whitelisted",
                    error.describe() + "; add this server's egress IP to the platform whitelist");
  }
  return apiError(502, "upstream_error", error.describe());
}

}  // namespace wxb
