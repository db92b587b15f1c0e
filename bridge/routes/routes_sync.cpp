// /v1/sync: start a follower sync in the background and read the latest run's record.
#include "bridge/routes/account_json.h"
#include "bridge/routes/routes.h"
#include "bridge/routes/sync_json.h"
#include "store/sync_runs/sync_runs.h"

namespace wxb {

ApiResponse startSync(RouteContext& ctx, const ApiRequest& request) {
  bool restart = false;
  if (!request.body.empty()) {
    auto parsed = parseJsonObject(request.body);
    if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
    const auto& body = std::get<nlohmann::json>(parsed);
    if (body.contains("restart")) {
      if (!body["restart"].is_boolean()) return invalidField("restart", "must be true or false");
      restart = body["restart"].get<bool>();
    }
  }
  if (requireApp(ctx.services.settings, App::Oa)) {
    return apiError(404, "app_not_configured", "wechat.oa.appid is not configured");
  }
  auto started = ctx.services.sync->start(restart);
  if (!started) {
    std::string until = started.error().expiresAtMs
                            ? ", lease until " + isoUtc(started.error().expiresAtMs)
                            : std::string();
    return apiError(409, "sync_running",
                    "a sync is already running (" + started.error().owner + until + ")");
  }
  nlohmann::json body = syncRunJson(started->run, ctx.services.clock.nowMs());
  body["resumed"] = started->resumed;
  return apiJson(202, body);
}

ApiResponse latestSyncRun(RouteContext& ctx, const ApiRequest&) {
  auto run = ctx.services.store->syncRuns().latestRun();
  if (!run) return apiError(404, "not_found", "no sync has run yet");
  return apiJson(200, syncRunJson(*run, ctx.services.clock.nowMs()));
}

}  // namespace wxb
