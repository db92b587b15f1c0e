// SyncLease: the store lease "sync" that keeps follower syncs to one at a time across every
// instance sharing the store. While held, a heartbeat thread renews it every third of its TTL;
// when a renewal finds the lease gone (taken over after it lapsed) or the store unreachable
// past the lease's expiry, the heartbeat raises the run's StopSignal so the run stops before it
// could overlap another. The destructor stops the heartbeat and releases the lease.
//
// Owners are named host:pid:tag:random, where tag identifies the boot and PID namespace (the
// random part tells two runs of one process apart). A lease left
// by a process of this host and namespace that no longer exists (kill -9, OOM) is taken over at
// once instead of after its TTL, so a restarted sync resumes without waiting.
//
// Used by SyncEngine. acquire() and the destructor are called from one thread; the heartbeat
// is internal. Thread-safe as used.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cron/clock.h"
#include "store/store.h"
#include "sync/stop_signal.h"

namespace wxb {

class SyncLease {
 public:
  static constexpr const char* kName = "sync";

  // Takes the lease for `owner`, or returns who holds it. Throws StoreError.
  static std::expected<std::unique_ptr<SyncLease>, LeaseHolder> acquire(Store& store,
                                                                        const Clock& clock,
                                                                        const std::string& owner,
                                                                        int64_t ttlMs,
                                                                        StopSignal& onLoss);
  ~SyncLease();
  SyncLease(const SyncLease&) = delete;
  SyncLease& operator=(const SyncLease&) = delete;

  const std::string& owner() const { return owner_; }

 private:
  SyncLease(Store& store, const Clock& clock, std::string owner, int64_t ttlMs, StopSignal& onLoss);
  void heartbeat();
  bool renew();

  Store& store_;
  const Clock& clock_;
  const std::string owner_;
  const int64_t ttlMs_;
  StopSignal& onLoss_;
  int64_t heldUntilMs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// A new owner name for one run of this process: host:pid:tag:random.
std::string newSyncOwner();

// True when `owner` names a process of this host and PID namespace that has exited.
bool isDeadLocalOwner(const std::string& owner);

}  // namespace wxb
