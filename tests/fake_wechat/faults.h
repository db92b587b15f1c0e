// Fault injection for platform calls: latency, HTTP 500, errcode -1 and timeouts; a user/get
// that reports a `total` larger than its list (the list looks truncated); and followers whose
// remark holds raw bytes no strict JSON reader accepts (dirtyText), as the platform sends them.
//
// The router asks draw() once per platform call (control routes never) before the call touches
// any state, so a faulted call changes nothing. Draws come from a sequence seeded by --seed:
// the same sequence of calls meets the same faults. Rates come from the command line and may be
// replaced through POST /__fake/config. pause() sleeps without holding any lock and returns
// early when the server shuts down. Thread-safety: all members are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "fake_wechat/options.h"
#include "fake_wechat/rng.h"

namespace wxb::fake {

enum class Fault { kNone, kHttp500, kBusy, kTimeout };

class FaultInjector {
 public:
  FaultInjector(const FaultRates& rates, uint64_t seed, int timeoutHoldMs);

  // The fault (if any) for the next platform call.
  Fault draw();

  int latencyMs() const { return latencyMs_.load(std::memory_order_relaxed); }
  int timeoutHoldMs() const { return timeoutHoldMs_; }
  // Added to the `total` user/get reports.
  int64_t totalSurplus() const { return totalSurplus_.load(std::memory_order_relaxed); }
  // Whether the follower `openid` gets a dirty remark: the same followers for a seed and rate,
  // answer after answer, as a real remark would be.
  bool dirtyText(std::string_view openid) const;

  // Sleeps `ms` milliseconds. Returns false if woken early by shutdown().
  bool pause(int ms);

  // Wakes every pause() and makes later ones return at once.
  void shutdown();

  FaultRates rates() const;
  void setRates(const FaultRates& rates);

 private:
  std::atomic<int> latencyMs_;
  std::atomic<double> failRate_;
  std::atomic<double> busyRate_;
  std::atomic<double> timeoutRate_;
  std::atomic<int64_t> totalSurplus_;
  std::atomic<double> dirtyTextRate_;
  const uint64_t seed_;
  const int timeoutHoldMs_;
  SeededDraws draws_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace wxb::fake
