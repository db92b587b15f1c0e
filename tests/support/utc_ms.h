// utcMs: Unix milliseconds of a UTC calendar time, for tests that pin instants by hand.
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstdint>

namespace wxb::test {

inline int64_t utcMs(int y, int mo, int d, int h, int mi, int s = 0) {
  using namespace std::chrono;
  auto day = date::sys_days(date::year(y) / mo / d);
  return duration_cast<milliseconds>((day + hours(h) + minutes(mi) + seconds(s)).time_since_epoch())
      .count();
}

}  // namespace wxb::test
