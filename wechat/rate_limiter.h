// RateLimiter: a token bucket that limits platform calls a second - the sync's (sync.qps) and
// the outbox sender's (notify.qps). Each call reserves one token and is told how long to wait
// before making the call; the bucket refills at `ratePerSecond` up to `burst` tokens.
// Reservations may run into debt, so concurrent callers queue up in order and the average rate
// never exceeds the limit. Time comes from a Clock, so tests drive it with ManualClock; waiting
// is the caller's business. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>

#include "cron/clock.h"

namespace wxb {

class RateLimiter {
 public:
  // ratePerSecond <= 0 means unlimited (reserve() always answers 0). burst is at least 1.
  RateLimiter(const Clock& clock, double ratePerSecond, double burst);

  // Takes one token; returns the milliseconds the caller must wait before using it (0: now).
  int64_t reserve();

 private:
  const Clock& clock_;
  const double ratePerMs_;
  const double burst_;
  std::mutex mutex_;
  double tokens_;
  int64_t lastMs_;
};

}  // namespace wxb
