#include "wechat/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace wxb {

RateLimiter::RateLimiter(const Clock& clock, double ratePerSecond, double burst)
    : clock_(clock),
      ratePerMs_(std::max(0.0, ratePerSecond) / 1000.0),
      burst_(std::max(1.0, burst)),
      tokens_(burst_),
      lastMs_(clock.nowMs()) {}

int64_t RateLimiter::reserve() {
  if (ratePerMs_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  const int64_t now = clock_.nowMs();
  if (now > lastMs_) {
    tokens_ = std::min(burst_, tokens_ + (now - lastMs_) * ratePerMs_);
    lastMs_ = now;
  }
  tokens_ -= 1;
  if (tokens_ >= 0) return 0;
  // In debt: wait until the refill has paid this token back.
  return static_cast<int64_t>(std::ceil(-tokens_ / ratePerMs_));
}

}  // namespace wxb
