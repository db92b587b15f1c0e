// The JSON shape of a follower sync run, shared by `wxbridge sync` (its summary line) and
// GET /v1/sync/runs/latest: {"run_id","state","started_at","finished_at","duration_s","pages",
// "followers","total","mapped","unsubscribed","errors","skipped","resumes","next_openid",
// "last_error"}; times ISO 8601 UTC, finished_at null while resumable. A pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "store/sync_runs/sync_runs.h"

namespace wxb {

// `nowMs` measures the duration of a run that has not finished.
nlohmann::json syncRunJson(const SyncRun& run, int64_t nowMs);

}  // namespace wxb
