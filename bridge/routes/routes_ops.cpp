// /healthz, /readyz and /metrics: for load balancers and Prometheus.
#include "bridge/routes/routes.h"

namespace wxb {

ApiResponse healthz(RouteContext&, const ApiRequest&) { return apiJson(200, {{"status", "ok"}}); }

ApiResponse readyz(RouteContext& ctx, const ApiRequest&) {
  // No reason given: /readyz answers anyone who can reach it (serve refuses to start with the
  // reason, and every request that fails logs its own).
  if (ctx.services.store->whyNotReady()) {
    return apiError(503, "store_unavailable", "the store is unreachable or cannot take writes");
  }
  return apiJson(200, {{"status", "ready"}});
}

ApiResponse metricsText(RouteContext& ctx, const ApiRequest&) {
  return ApiResponse{200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8", {}};
}

}  // namespace wxb
