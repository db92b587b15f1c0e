// OpsRoutes: GET /healthz (the process is up; public), GET /readyz (the store answers and takes
// writes, Store::whyNotReady; public, 503 when not) and GET /metrics (Prometheus text;
// allowlisted addresses only) - for load balancers and Prometheus. Built from the store and the
// metrics registry; registered always. Thread-safe.
#pragma once

#include "bridge/http/router.h"
#include "bridge/metrics/metrics.h"
#include "store/store.h"

namespace wxb {

class OpsRoutes {
 public:
  OpsRoutes(Store& store, Metrics& metrics) : store_(store), metrics_(metrics) {}

  // Adds the three routes; this object must outlive the router.
  void addTo(Router& router);

  ApiResponse healthz(const ApiRequest& request);
  ApiResponse readyz(const ApiRequest& request);
  ApiResponse metricsText(const ApiRequest& request);

 private:
  Store& store_;
  Metrics& metrics_;
};

}  // namespace wxb
