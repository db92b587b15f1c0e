// The platform's limits on forced token refreshes (at most N a China-time day, at least a gap
// apart), decided over the row Tokens (store/tokens/tokens.h) keeps per app. A pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wxb {

struct ForcedRefreshRow {
  std::string day;  // YYYY-MM-DD of the last counted refresh, "" when none
  int count = 0;    // refreshes counted on `day`
  int64_t lastAtMs = 0;
};

// The row after counting one more refresh at nowMs on `day`, or nullopt when the limits
// forbid a refresh now.
inline std::optional<ForcedRefreshRow> countForcedRefresh(const ForcedRefreshRow& row,
                                                          const std::string& day, int64_t nowMs,
                                                          int64_t minGapMs, int maxPerDay) {
  if (row.lastAtMs != 0 && nowMs - row.lastAtMs < minGapMs) return std::nullopt;
  int usedToday = row.day == day ? row.count : 0;
  if (usedToday >= maxPerDay) return std::nullopt;
  return ForcedRefreshRow{day, usedToday + 1, nowMs};
}

}  // namespace wxb
