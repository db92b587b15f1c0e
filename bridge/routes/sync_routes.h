// SyncRoutes: POST /v1/sync:run {"restart"?} starts a follower sync in the background (202, or
// 409 while one runs anywhere) and GET /v1/sync/runs/latest reads the latest run's record.
// Built from the sync runner, the sync runs and the clock. The runner is null when
// wechat.oa.appid is not configured: starting a sync then answers 404 app_not_configured
// (after validating the request); the latest run is still served. Thread-safe.
#pragma once

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "store/sync_runs/sync_runs.h"
#include "sync/sync_runner.h"

namespace wxb {

class SyncRoutes {
 public:
  // `runner` is null when the OA is not configured.
  SyncRoutes(SyncRunner* runner, SyncRuns& runs, const Clock& clock)
      : runner_(runner), runs_(runs), clock_(clock) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse startSync(const ApiRequest& request);
  ApiResponse latestRun(const ApiRequest& request);

 private:
  SyncRunner* runner_;
  SyncRuns& runs_;
  const Clock& clock_;
};

}  // namespace wxb
