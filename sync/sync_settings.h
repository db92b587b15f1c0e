// SyncSettings: the typed settings of the follower sync (sync.* keys, read and validated by
// bridge/config/settings.cpp), and SyncProgress: what the sync reports after every page, for the
// `wxbridge sync` progress bar and the sync metrics. Plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "store/sync_runs/sync_runs.h"

namespace wxb {

struct SyncSettings {
  int concurrency = 8;  // batchget calls in flight at once
  double qps = 500;     // platform calls a second, user/get and batchget together; 0: no limit
  int64_t leaseTtlMs = 120'000;  // the sync lease; renewed every third of it while running
  size_t writeBatch = 2'000;     // followers per store transaction
  int retryAttempts = 6;         // sync-level tries of one call, on top of the client's own
  int64_t retryBaseMs = 500;     // backoff between them: doubling up to retryMaxMs, half jittered
  int64_t retryMaxMs = 30'000;
  // Run after each batch for every mapped follower (two '?': OA openid, then unionid); empty: off.
  std::string writeBackStatement;
};

struct SyncProgress {
  SyncRun run;                   // counters as of the last checkpoint
  int64_t sessionFollowers = 0;  // followers this process has done (for the rate)
  int64_t sessionElapsedMs = 0;  // since this process began or resumed the run

  // Followers a second in this session; 0 before the first page.
  double rate() const {
    return sessionElapsedMs > 0 ? sessionFollowers * 1000.0 / sessionElapsedMs : 0;
  }
  // Time left at the current rate; nullopt while the rate or the total is unknown.
  std::optional<int64_t> etaMs() const {
    if (rate() <= 0 || run.total <= 0) return std::nullopt;
    int64_t left = run.total > run.followers ? run.total - run.followers : 0;
    return static_cast<int64_t>(left * 1000.0 / rate());
  }
};

using SyncProgressFn = std::function<void(const SyncProgress&)>;

}  // namespace wxb
