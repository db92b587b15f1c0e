// SyncRunner: the follower sync inside `wxbridge serve`. POST /v1/sync:run starts a run that
// goes on in the background (start()); the sync.cron job runs one on the scheduler's thread
// (runNow()). Either way the store lease keeps runs to one at a time, in this process and
// across instances, and the hooks see every run's progress and final record (metrics).
// stop() - called by serve before it stops the scheduler - asks the run in progress to stop
// (it stays resumable) and waits for the background thread. Thread-safe.
#pragma once

#include <expected>
#include <functional>
#include <mutex>
#include <thread>

#include "sync/sync_engine.h"

namespace wxb {

struct SyncHooks {
  SyncProgressFn onProgress;                     // after every page of every run
  std::function<void(const SyncRun&)> onFinish;  // the final record of every run
};

struct SyncStarted {
  SyncRun run;  // as begun: its id, and the checkpoint it resumes from
  bool resumed = false;
};

class SyncRunner {
 public:
  SyncRunner(Accounts& accounts, SyncRuns& runs, Leases& leases, WechatClient& platform,
             const Clock& clock, SyncSettings settings, SyncHooks hooks);
  ~SyncRunner();
  SyncRunner(const SyncRunner&) = delete;
  SyncRunner& operator=(const SyncRunner&) = delete;

  // Opens a run (resuming the unfinished one unless `restart`) and continues it on a
  // background thread. Returns the lease holder when a sync is already running (or serve is
  // stopping). Throws StoreError.
  std::expected<SyncStarted, LeaseHolder> start(bool restart);
  // Runs one sync to its end on this thread. Throws StoreError.
  std::expected<SyncRun, LeaseHolder> runNow(bool restart, const SyncProgressFn& progress = {});
  // Stops the run in progress at its next chunk and waits for the background thread.
  void stop(const std::string& reason);

 private:
  std::expected<std::unique_ptr<SyncJob>, LeaseHolder> begin(bool restart);
  SyncRun finish(SyncJob& job, const SyncProgressFn& progress);

  SyncEngine engine_;
  SyncHooks hooks_;
  std::mutex mutex_;
  SyncJob* current_ = nullptr;  // the run in progress in this process, if any
  bool stopping_ = false;
  std::thread background_;
};

}  // namespace wxb
