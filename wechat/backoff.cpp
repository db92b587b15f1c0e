#include "wechat/backoff.h"

#include <algorithm>
#include <random>

namespace wxb {

int64_t backoffMs(int attempt, int64_t baseMs, int64_t maxMs, double unit) {
  const int shift = std::clamp(attempt - 1, 0, 30);
  const int64_t ceiling = std::max<int64_t>(0, std::min(maxMs, baseMs << shift));
  const double share = std::clamp(unit, 0.0, 1.0);
  return ceiling / 2 + static_cast<int64_t>(share * static_cast<double>(ceiling - ceiling / 2));
}

int64_t jitteredBackoffMs(int attempt, int64_t baseMs, int64_t maxMs) {
  return backoffMs(attempt, baseMs, maxMs, backoffJitter());
}

double backoffJitter() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(random);
}

}  // namespace wxb
