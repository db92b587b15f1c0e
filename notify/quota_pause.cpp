#include "notify/quota_pause.h"

#include "wechat/china_day.h"

namespace wxb {

int64_t quotaPauseUntilMs(int64_t nowMs) {
  const int64_t lastMidnight = nextChinaMidnightMs(nowMs) - 24 * 3'600'000;
  if (nowMs - lastMidnight < kQuotaGraceAfterMidnightMs) return nowMs + kQuotaGracePauseMs;
  return nextChinaMidnightMs(nowMs);
}

}  // namespace wxb
