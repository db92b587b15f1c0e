#include "bridge/routes/ops_routes.h"

namespace wxb {

void OpsRoutes::addTo(Router& router) {
  router.add(groupRoute("GET", "/healthz", Access::Public, this, &OpsRoutes::healthz));
  router.add(groupRoute("GET", "/readyz", Access::Public, this, &OpsRoutes::readyz));
  router.add(groupRoute("GET", "/metrics", Access::Allowlist, this, &OpsRoutes::metricsText));
}

ApiResponse OpsRoutes::healthz(const ApiRequest&) { return apiJson(200, {{"status", "ok"}}); }

ApiResponse OpsRoutes::readyz(const ApiRequest&) {
  // No reason given: /readyz answers anyone who can reach it (serve refuses to start with the
  // reason, and every request that fails logs its own).
  if (store_.whyNotReady()) {
    return apiError(503, "store_unavailable", "the store is unreachable or cannot take writes");
  }
  return apiJson(200, {{"status", "ready"}});
}

ApiResponse OpsRoutes::metricsText(const ApiRequest&) {
  return ApiResponse{200, metrics_.render(), "text/plain; version=0.0.4; charset=utf-8", {}};
}

}  // namespace wxb
