// Clock: the one source of "now" for wxbridge. Production code takes a Clock& so that tests can
// drive time with ManualClock instead of sleeping. Times are milliseconds since the Unix epoch
// (UTC). SystemClock and ManualClock are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace wxb {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since 1970-01-01T00:00:00Z.
  virtual int64_t nowMs() const = 0;
  int64_t nowSeconds() const { return nowMs() / 1000; }
};

class SystemClock final : public Clock {
 public:
  int64_t nowMs() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// A clock that moves only when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t startMs = 1'700'000'000'000) : now_(startMs) {}
  int64_t nowMs() const override { return now_.load(); }
  void set(int64_t ms) { now_.store(ms); }
  void advance(int64_t ms) { now_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace wxb
