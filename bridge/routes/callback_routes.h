// CallbackRoutes: the platform's event push - GET (URL verification) and POST (a push) on the
// path of every CallbackEndpoint (bridge/callback/callback_endpoint.h): /wechat/callback for
// the OA, /wechat/callback/mp for the mini program's subscribe-message events (issue #15).
// Public routes (no API key, no allowlist: the signature is the check), each push counted in
// wxbridge_callback_pushes_total by event and outcome. An endpoint whose callback.* settings
// are not given is not built: its path answers 404 app_not_configured. Thread-safe.
#pragma once

#include <vector>

#include "bridge/callback/callback_endpoint.h"
#include "bridge/http/router.h"
#include "bridge/metrics/metrics.h"
#include "cron/clock.h"

namespace wxb {

class CallbackRoutes {
 public:
  // `endpoints` may lack either path (its token not configured): that path answers 404
  // app_not_configured naming the key.
  CallbackRoutes(std::vector<CallbackEndpoint> endpoints, Metrics& metrics, const Clock& clock)
      : endpoints_(std::move(endpoints)), metrics_(metrics), clock_(clock) {}

  static constexpr const char* kOaPath = "/wechat/callback";
  static constexpr const char* kMpPath = "/wechat/callback/mp";

  // Adds GET and POST for every endpoint; this object must outlive the router.
  void addTo(Router& router);

  ApiResponse verify(const CallbackEndpoint& endpoint, const ApiRequest& request);
  ApiResponse receive(const CallbackEndpoint& endpoint, const ApiRequest& request);

 private:
  std::vector<CallbackEndpoint> endpoints_;
  Metrics& metrics_;
  const Clock& clock_;
};

}  // namespace wxb
