#include "bridge/routes/sync_json.h"

#include "cron/iso_time.h"

namespace wxb {

nlohmann::json syncRunJson(const SyncRun& run, int64_t nowMs) {
  const int64_t endMs = run.finishedAtMs ? run.finishedAtMs : nowMs;
  return {{"run_id", run.id},
          {"state", syncStateName(run.state)},
          {"started_at", formatIsoUtc(run.startedAtMs)},
          {"finished_at",
           run.finishedAtMs ? nlohmann::json(formatIsoUtc(run.finishedAtMs)) : nlohmann::json()},
          {"duration_s", static_cast<double>(endMs - run.startedAtMs) / 1000.0},
          {"pages", run.pages},
          {"followers", run.followers},
          {"total", run.total},
          {"mapped", run.mapped},
          {"unsubscribed", run.unsubscribed},
          {"errors", run.errors},
          {"skipped", run.skipped},
          {"resumes", run.resumes},
          {"next_openid", run.nextOpenid},
          {"last_error", run.lastError}};
}

}  // namespace wxb
