// SyncEngine: the follower sync. begin() takes the store lease "sync" (one sync at a time
// across instances; a heartbeat renews it while the run goes on, and its loss stops the run)
// and opens a run: the unfinished one is claimed and resumed from its
// checkpoint unless a restart is asked for. SyncJob::execute() then pages /cgi-bin/user/get
// from the checkpointed cursor; each page's followers go through PageWorkers (batchget with
// bounded concurrency and a QPS limit, batched store transactions, optional write-back), after
// which the page's cursor and counters are checkpointed. Only a run that reached the end of
// the list with every follower written, and listed about as many followers as the platform's
// total (sync/list_shortfall.h), marks the accounts it did not see as unsubscribed.
//
// Takes typed settings and references only (no configuration, no HTTP). Callers: `wxbridge
// sync` (bridge/cli/cmd_sync.cpp) and SyncRunner (serve's job and POST /v1/sync:run).
// A SyncEngine is thread-safe; a SyncJob is executed by one thread, and requestStop() may be
// called from any thread.
#pragma once

#include <atomic>
#include <expected>
#include <memory>

#include "cron/clock.h"
#include "cron/stop_signal.h"
#include "store/accounts/accounts.h"
#include "store/leases/lease.h"
#include "store/sync_runs/sync_runs.h"
#include "sync/page_workers.h"
#include "sync/sync_settings.h"
#include "wechat/rate_limiter.h"
#include "wechat/wechat_client.h"

namespace wxb {

class SyncJob {
 public:
  SyncJob(Accounts& accounts, SyncRuns& runs, WechatClient& platform, const Clock& clock,
          const SyncSettings& settings);
  ~SyncJob();
  SyncJob(const SyncJob&) = delete;
  SyncJob& operator=(const SyncJob&) = delete;

  // The run as begun (claimed or started).
  const SyncRun& run() const { return run_; }
  bool resumed() const { return resumed_; }

  // Runs until the list ends, a stop, or an error that stops the run; returns the final
  // record (also saved in the store when it can be). `progress` is called after every page.
  SyncRun execute(const SyncProgressFn& progress = {});

  // Stops the run at the next chunk; the page in flight is redone by the resumed run. The run's
  // threads are under stop_, so the platform calls in their retries end at once too.
  void requestStop(const std::string& reason) { stop_.request(reason); }

 private:
  friend class SyncEngine;

  void open(bool restart);
  std::optional<FollowerPage> fetchPage();
  bool checkpoint(const FollowerPage& page, const PageTally& tally);
  void finishList();
  // Completed, or why the unseen cannot be marked (Truncated, Incomplete; logged, and for
  // Truncated also put in lastError).
  SyncState endState();
  void stopRun(SyncState state, const std::string& error);
  bool save();
  void report(const SyncProgressFn& progress);

  Accounts& accounts_;
  SyncRuns& runs_;
  WechatClient& platform_;
  const Clock& clock_;
  const SyncSettings& settings_;
  StopSignal stop_;  // before lease_: the lease's heartbeat raises it
  std::unique_ptr<Lease> lease_;
  RateLimiter limiter_;
  std::atomic<int64_t> errors_{0};
  SyncRun run_;
  bool resumed_ = false;
  bool finished_ = false;
  int64_t sessionStartMs_ = 0;
  int64_t sessionFollowers_ = 0;
};

class SyncEngine {
 public:
  static constexpr const char* kLease = "sync";

  SyncEngine(Accounts& accounts, SyncRuns& runs, Leases& leases, WechatClient& platform,
             const Clock& clock, SyncSettings settings);

  // Takes the lease and opens a run (resuming the unfinished one unless `restart`). Returns
  // the lease holder when another sync is running. Throws StoreError.
  std::expected<std::unique_ptr<SyncJob>, LeaseHolder> begin(bool restart);

  const SyncSettings& settings() const { return settings_; }

 private:
  Accounts& accounts_;
  SyncRuns& runs_;
  Leases& leases_;
  WechatClient& platform_;
  const Clock& clock_;
  const SyncSettings settings_;
};

}  // namespace wxb
