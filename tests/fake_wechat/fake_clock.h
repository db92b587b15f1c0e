// The fake platform's notion of time: the wall clock plus an offset that tests may advance
// through POST /__fake/advance-clock, so token expiry, the 10-minute client_msg_id window, code
// expiry and quota days can be exercised without waiting. Sleeps (latency, timeouts) use real
// time and are not affected. Thread-safety: all members may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace wxb::fake {

class FakeClock {
 public:
  // Unix seconds as the platform sees them.
  int64_t now() const {
    return static_cast<int64_t>(std::time(nullptr)) + offset_.load(std::memory_order_relaxed);
  }
  // The same in milliseconds (token lifetimes of a second or two need the precision).
  int64_t nowMs() const {
    auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return wall.count() + offset_.load(std::memory_order_relaxed) * 1000;
  }
  // Moves the platform's time forward (or back, for a negative value) by `seconds`.
  void advance(int64_t seconds) { offset_.fetch_add(seconds, std::memory_order_relaxed); }
  int64_t offset() const { return offset_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> offset_{0};
};

inline constexpr int64_t kChinaUtcOffset = 8 * 3600;

// The platform's day number: quotas reset at midnight China time (UTC+8).
inline int64_t chinaDay(int64_t unixSeconds) { return (unixSeconds + kChinaUtcOffset) / 86400; }

// The platform's month number (year * 12 + month) in China time: clear_quota's allowance.
inline int64_t chinaMonth(int64_t unixSeconds) {
  std::time_t shifted = static_cast<std::time_t>(unixSeconds + kChinaUtcOffset);
  std::tm parts{};
  gmtime_r(&shifted, &parts);
  return (parts.tm_year + 1900) * 12LL + parts.tm_mon;
}

}  // namespace wxb::fake
