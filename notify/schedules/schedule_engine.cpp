#include "notify/schedules/schedule_engine.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.schedules"); }

}  // namespace

ScheduleEngine::ScheduleEngine(const Clock& clock, FireDue fireDue, ScheduleEngineSettings settings)
    : clock_(clock), fireDue_(std::move(fireDue)), settings_(settings) {
  if (!fireDue_) throw std::invalid_argument("ScheduleEngine: no FireDue function");
  if (settings_.pollMs < 1 || settings_.pollMs > 60'000) {
    throw std::invalid_argument("ScheduleEngine: pollMs must be 1-60000");
  }
}

ScheduleEngine::~ScheduleEngine() { stop(); }

int64_t ScheduleEngine::runOnce() {
  std::lock_guard serial(passMutex_);
  std::optional<int64_t> next = fireDue_(clock_.nowMs());
  // Read the clock again: the pass itself may have taken a while.
  int64_t untilNext = next ? *next - clock_.nowMs() : settings_.pollMs;
  return std::clamp<int64_t>(untilNext, 0, settings_.pollMs);
}

int64_t ScheduleEngine::passOrRetry() {
  try {
    return runOnce();
  } catch (const std::exception& e) {
    logger().error("schedules: pass failed, retrying in %s ms: %s",
                   std::to_string(settings_.pollMs), std::string(e.what()));
    return settings_.pollMs;
  }
}

void ScheduleEngine::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wakeRequested_ = false;
    lock.unlock();
    int64_t waitMs = passOrRetry();
    lock.lock();
    wakeup_.wait_for(lock, std::chrono::milliseconds(waitMs),
                     [this] { return stopping_ || wakeRequested_; });
  }
}

void ScheduleEngine::start() {
  std::lock_guard lock(mutex_);
  if (loop_.joinable()) return;
  stopping_ = false;
  loop_ = std::thread(&ScheduleEngine::loop, this);
}

void ScheduleEngine::stop() {
  std::thread loop;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    loop = std::move(loop_);
  }
  wakeup_.notify_all();
  if (loop.joinable()) loop.join();
}

void ScheduleEngine::wake() {
  {
    std::lock_guard lock(mutex_);
    wakeRequested_ = true;
  }
  wakeup_.notify_all();
}

}  // namespace wxb
