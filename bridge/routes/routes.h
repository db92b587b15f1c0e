// The routes of `wxbridge serve` and their handlers. Each handler validates its input, calls
// one domain function and maps the result to a status (STYLE.md rule 3); addRoutes() registers
// them all. Handlers are thread-safe because the services they use are.
#pragma once

#include "bridge/app/services.h"
#include "bridge/http/router.h"
#include "bridge/metrics/metrics.h"

namespace wxb {

struct RouteContext {
  Services& services;
  Metrics& metrics;
};

void addRoutes(Router& router, RouteContext& ctx);

// Handlers, by file: routes_accounts.cpp, routes_tokens.cpp, routes_sync.cpp, routes_ops.cpp.
ApiResponse getAccount(RouteContext& ctx, const ApiRequest& request);
ApiResponse lookupAccounts(RouteContext& ctx, const ApiRequest& request);
ApiResponse createMpSession(RouteContext& ctx, const ApiRequest& request);
ApiResponse getToken(RouteContext& ctx, const ApiRequest& request);
ApiResponse refreshToken(RouteContext& ctx, const ApiRequest& request);
ApiResponse startSync(RouteContext& ctx, const ApiRequest& request);
ApiResponse latestSyncRun(RouteContext& ctx, const ApiRequest& request);
ApiResponse recordEvent(RouteContext& ctx, const ApiRequest& request);     // routes_events.cpp
ApiResponse markEventsRead(RouteContext& ctx, const ApiRequest& request);  // routes_events.cpp
ApiResponse createMessage(RouteContext& ctx, const ApiRequest& request);   // routes_messages.cpp
ApiResponse getMessage(RouteContext& ctx, const ApiRequest& request);      // routes_messages.cpp
ApiResponse healthz(RouteContext& ctx, const ApiRequest& request);
ApiResponse readyz(RouteContext& ctx, const ApiRequest& request);
ApiResponse metricsText(RouteContext& ctx, const ApiRequest& request);

// A platform failure as an HTTP answer: 429 for quota/frequency, 502 otherwise, with the
// errcode in the message (never a token or secret).
ApiResponse upstreamError(const WechatError& error);

// 400 naming `field`, the one shape of a validation failure.
ApiResponse invalidField(const std::string& field, const std::string& problem);
// 400 for a `field` that is not an openid or unionid (isValidWechatId).
ApiResponse invalidId(const std::string& field);

}  // namespace wxb
