#include "fake_wechat/faults.h"

#include <chrono>
#include <functional>

namespace wxb::fake {
namespace {
constexpr uint64_t kFaultSalt = 0xFA017ULL;
constexpr uint64_t kDirtySalt = 0xD1127ULL;
}  // namespace

bool FaultInjector::dirtyText(std::string_view openid) const {
  double rate = dirtyTextRate_.load(std::memory_order_relaxed);
  if (rate <= 0) return false;
  return unitInterval(mix(seed_, std::hash<std::string_view>{}(openid), kDirtySalt)) < rate;
}

FaultInjector::FaultInjector(const FaultRates& rates, uint64_t seed, int timeoutHoldMs)
    : latencyMs_(rates.latencyMs),
      failRate_(rates.failRate),
      busyRate_(rates.busyRate),
      timeoutRate_(rates.timeoutRate),
      totalSurplus_(rates.totalSurplus),
      dirtyTextRate_(rates.dirtyTextRate),
      seed_(seed),
      timeoutHoldMs_(timeoutHoldMs),
      draws_(mix(seed, kFaultSalt)) {}

Fault FaultInjector::draw() {
  double timeout = timeoutRate_.load(std::memory_order_relaxed);
  double fail = failRate_.load(std::memory_order_relaxed);
  double busy = busyRate_.load(std::memory_order_relaxed);
  if (timeout + fail + busy <= 0) return Fault::kNone;
  double u = draws_.next();
  if (u < timeout) return Fault::kTimeout;
  if (u < timeout + fail) return Fault::kHttp500;
  if (u < timeout + fail + busy) return Fault::kBusy;
  return Fault::kNone;
}

bool FaultInjector::pause(int ms) {
  if (ms <= 0) return true;
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void FaultInjector::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

FaultRates FaultInjector::rates() const {
  return FaultRates{latencyMs_.load(),   failRate_.load(),     busyRate_.load(),
                    timeoutRate_.load(), totalSurplus_.load(), dirtyTextRate_.load()};
}

void FaultInjector::setRates(const FaultRates& rates) {
  latencyMs_.store(rates.latencyMs);
  failRate_.store(rates.failRate);
  busyRate_.store(rates.busyRate);
  timeoutRate_.store(rates.timeoutRate);
  totalSurplus_.store(rates.totalSurplus);
  dirtyTextRate_.store(rates.dirtyTextRate);
}

}  // namespace wxb::fake
