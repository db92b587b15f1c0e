// TokenRoutes: GET /v1/tokens/{oa|mp} and POST /v1/tokens/{app}:refresh - the central
// access_token service for business servers that must not fetch tokens themselves (a second
// fetcher would invalidate ours). Built from the token service, the clock and the apps this
// instance has credentials for; an app without them answers 404 app_not_configured, an unknown
// app 404 not_found. Thread-safe.
#pragma once

#include <set>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "wechat/token_service.h"

namespace wxb {

class TokenRoutes {
 public:
  TokenRoutes(TokenService& tokens, const Clock& clock, std::set<App> configured)
      : tokens_(tokens), clock_(clock), configured_(std::move(configured)) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse getToken(const ApiRequest& request);
  ApiResponse refreshToken(const ApiRequest& request);

 private:
  // The {app} of the path when it is configured; else the 404 to send.
  std::variant<App, ApiResponse> configuredApp(const ApiRequest& request) const;

  TokenService& tokens_;
  const Clock& clock_;
  const std::set<App> configured_;
};

}  // namespace wxb
