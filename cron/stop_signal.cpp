#include "cron/stop_signal.h"

#include <chrono>
#include <thread>

namespace wxb {

namespace {

thread_local const StopSignal* currentSignal = nullptr;

}  // namespace

void StopSignal::request(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    if (!stopped_) reason_ = reason;
    stopped_ = true;
  }
  changed_.notify_all();
}

void StopSignal::reset() {
  std::lock_guard lock(mutex_);
  stopped_ = false;
  reason_.clear();
}

bool StopSignal::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

std::string StopSignal::reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

void StopSignal::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

bool StopSignal::sleepFor(int64_t ms) const {
  std::unique_lock lock(mutex_);
  if (ms > 0) changed_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopped_; });
  return !stopped_;
}

bool StopSignal::waitForWake(int64_t ms) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopped_ || woken_; });
  woken_ = false;
  return !stopped_;
}

const StopSignal* StopSignal::current() { return currentSignal; }

StopSignal::Scope::Scope(const StopSignal& signal) : previous_(currentSignal) {
  currentSignal = &signal;
}

StopSignal::Scope::~Scope() { currentSignal = previous_; }

bool stopRequested() {
  const StopSignal* signal = StopSignal::current();
  return signal && signal->stopped();
}

bool sleepUnlessStopped(int64_t ms) {
  if (const StopSignal* signal = StopSignal::current()) return signal->sleepFor(ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return true;
}

}  // namespace wxb
