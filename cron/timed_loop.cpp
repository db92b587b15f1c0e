#include "cron/timed_loop.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

namespace wxb {

TimedLoop::TimedLoop(Pass pass) : pass_(std::move(pass)) {
  if (!pass_) throw std::invalid_argument("TimedLoop: no pass");
}

TimedLoop::~TimedLoop() { stop(); }

void TimedLoop::start() {
  std::lock_guard lifecycle(lifecycle_);
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread(&TimedLoop::run, this);
}

void TimedLoop::stop() {
  std::lock_guard lifecycle(lifecycle_);
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wakeup_.notify_all();
  if (thread.joinable()) thread.join();
}

void TimedLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

void TimedLoop::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const int64_t waitMs = std::clamp<int64_t>(pass_(), 0, kMaxWaitMs);
    lock.lock();
    wakeup_.wait_for(lock, std::chrono::milliseconds(waitMs),
                     [this] { return stopping_ || woken_; });
  }
}

}  // namespace wxb
