// PageWorkers: the batchget half of the follower sync. For one user/get page at a time, a
// fixed pool of `concurrency` threads takes the page's openids 100 at a time, fetches their
// user info (through callWithRetry: QPS limit, backoff), and collects the answers into a shared
// buffer that the worker filling it writes to the store as one transaction of `writeBatch`
// followers (then the write-back, when configured) while the others keep fetching. Memory is
// one page of openids plus one buffer and the answers in flight.
//
// processPage() returns once every follower of the page is written or given up on, so the
// caller can checkpoint the page. A stop request, a fatal platform error or a store failure
// abandons the rest of the page (the resumed run redoes it). Owned by one SyncJob; process
// one page at a time from one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cron/stop_signal.h"
#include "store/accounts/accounts.h"
#include "store/sync_runs/sync_runs.h"
#include "sync/sync_settings.h"
#include "wechat/rate_limiter.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct PageTally {
  int64_t written = 0;               // followers written to the store
  int64_t mapped = 0;                // of which with a unionid
  int64_t skipped = 0;               // given up on after retries (or missing from the answers)
  std::optional<WechatError> fatal;  // quota or IP whitelist: the run must stop
  std::string lastError;             // the last platform failure seen, for the run record
  bool complete = false;             // every follower written or skipped; false: abandoned
};

class PageWorkers {
 public:
  PageWorkers(Accounts& accounts, SyncRuns& runs, WechatClient& platform,
              const SyncSettings& settings, RateLimiter& limiter, StopSignal& stop,
              std::atomic<int64_t>& errors);
  ~PageWorkers();
  PageWorkers(const PageWorkers&) = delete;
  PageWorkers& operator=(const PageWorkers&) = delete;

  // Fetches and writes the followers of one page, stamping them syncedAtMs. Throws the store's
  // exception when a write failed after retries.
  PageTally processPage(const std::vector<std::string>& openids, int64_t syncedAtMs);

 private:
  void work();
  void processChunk(const std::vector<std::string>& openids, size_t chunk, int64_t syncedAtMs);
  std::vector<FollowerRecord> fetchChunk(const std::vector<std::string>& ids);
  void write(const std::vector<FollowerRecord>& batch, int64_t syncedAtMs);
  void fail(std::exception_ptr error);
  bool abandoning() const;

  Accounts& accounts_;
  SyncRuns& runs_;
  WechatClient& platform_;
  const SyncSettings& settings_;
  RateLimiter& limiter_;
  StopSignal& stop_;
  std::atomic<int64_t>& errors_;

  std::mutex mutex_;
  std::condition_variable workReady_;
  std::condition_variable pageDone_;
  bool shuttingDown_ = false;
  // The page in progress (guarded by mutex_).
  const std::vector<std::string>* openids_ = nullptr;
  int64_t syncedAtMs_ = 0;
  size_t chunks_ = 0;
  size_t nextChunk_ = 0;
  size_t chunksDone_ = 0;
  PageTally tally_;
  std::vector<FollowerRecord> buffer_;
  std::exception_ptr storeFailure_;
  std::atomic<bool> abandon_{false};  // a fatal error or store failure: skip the rest
  std::vector<std::thread> threads_;
};

}  // namespace wxb
