#include "sync/list_shortfall.h"

#include <algorithm>

namespace wxb {

namespace {

constexpr int64_t kToleranceDivisor = 200;  // 0.5%
constexpr int64_t kToleranceFloor = 10;

}  // namespace

int64_t tolerableShortfall(int64_t total) {
  return std::max(total / kToleranceDivisor, kToleranceFloor);
}

std::optional<int64_t> listShortfall(int64_t listed, int64_t total) {
  const int64_t missing = total - listed;
  if (listed == 0 && total > 0) return missing;  // an empty list is never churn
  if (missing <= tolerableShortfall(total)) return std::nullopt;
  return missing;
}

}  // namespace wxb
