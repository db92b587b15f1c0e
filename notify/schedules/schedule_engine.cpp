#include "notify/schedules/schedule_engine.h"

#include <Poco/Logger.h>

#include <algorithm>
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

void ScheduleEngine::start() { loop_.start(); }

void ScheduleEngine::stop() { loop_.stop(); }

void ScheduleEngine::wake() { loop_.wake(); }

}  // namespace wxb
