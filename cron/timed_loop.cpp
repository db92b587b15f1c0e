#include "cron/timed_loop.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace wxb {

TimedLoop::TimedLoop(Pass pass) : pass_(std::move(pass)) {
  if (!pass_) throw std::invalid_argument("TimedLoop: no pass");
}

TimedLoop::~TimedLoop() { stop(); }

void TimedLoop::start() {
  std::lock_guard lifecycle(lifecycle_);
  if (thread_.joinable()) return;
  signal_.reset();
  thread_ = std::thread(&TimedLoop::run, this);
}

void TimedLoop::stop() {
  std::lock_guard lifecycle(lifecycle_);
  signal_.request();
  if (thread_.joinable()) thread_.join();
}

void TimedLoop::wake() { signal_.wake(); }

void TimedLoop::run() {
  StopSignal::Scope scope(signal_);
  while (!signal_.stopped()) {
    if (!signal_.waitForWake(std::clamp<int64_t>(pass_(), 0, kMaxWaitMs))) return;
  }
}

}  // namespace wxb
