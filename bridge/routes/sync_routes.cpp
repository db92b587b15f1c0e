#include "bridge/routes/sync_routes.h"

#include "bridge/routes/responses.h"
#include "bridge/routes/sync_json.h"
#include "cron/iso_time.h"

namespace wxb {

namespace {

// The optional {"restart": bool} body; an empty body means false.
std::variant<bool, ApiResponse> parseRestart(const std::string& text) {
  if (text.empty()) return false;
  auto parsed = parseJsonObject(text, {"restart"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  if (!body.contains("restart")) return false;
  if (!body["restart"].is_boolean()) return invalidField("restart", "must be true or false");
  return body["restart"].get<bool>();
}

ApiResponse syncRunning(const LeaseHolder& holder) {
  std::string until =
      holder.expiresAtMs ? ", lease until " + formatIsoUtc(holder.expiresAtMs) : std::string();
  return apiError(409, "sync_running", "a sync is already running (" + holder.owner + until + ")");
}

}  // namespace

void SyncRoutes::addTo(Router& router) {
  router.add(groupRoute("POST", "/v1/sync:run", Access::ApiKey, this, &SyncRoutes::startSync));
  router.add(
      groupRoute("GET", "/v1/sync/runs/latest", Access::ApiKey, this, &SyncRoutes::latestRun));
}

ApiResponse SyncRoutes::startSync(const ApiRequest& request) {
  auto restart = parseRestart(request.body);
  if (auto* error = std::get_if<ApiResponse>(&restart)) return *error;
  if (!runner_) return appNotConfigured("wechat.oa.appid");
  auto started = runner_->start(std::get<bool>(restart));
  if (!started) return syncRunning(started.error());
  nlohmann::json body = syncRunJson(started->run, clock_.nowMs());
  body["resumed"] = started->resumed;
  return apiJson(202, body);
}

ApiResponse SyncRoutes::latestRun(const ApiRequest&) {
  auto run = runs_.latestRun();
  if (!run) return apiError(404, "not_found", "no sync has run yet");
  return apiJson(200, syncRunJson(*run, clock_.nowMs()));
}

}  // namespace wxb
