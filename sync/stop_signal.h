// StopSignal: asks a running sync to stop before its next platform call or batch (the page in
// flight is not checkpointed, so the resumed run redoes it), and wakes its backoff and rate-limit
// waits at once. Set by a shutdown, by the lease heartbeat when the lease is lost, or by a
// test. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace wxb {

class StopSignal {
 public:
  // Keeps the first reason given.
  void request(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (!stopped_) reason_ = reason;
    stopped_ = true;
    wake_.notify_all();
  }

  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

  std::string reason() const {
    std::lock_guard lock(mutex_);
    return reason_;
  }

  // Sleeps ms, or less when a stop is requested. Returns false when stopped.
  bool sleepFor(int64_t ms) {
    std::unique_lock lock(mutex_);
    if (ms > 0) wake_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopped_; });
    return !stopped_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;
  std::string reason_;
};

}  // namespace wxb
