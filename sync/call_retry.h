// callWithRetry: how the sync makes one platform call. Every attempt first waits for the QPS
// limiter; a failure is counted, then retried with backoff unless it is fatal for the run
// (45009 quota, 40164 IP whitelist) or permanent (the request itself is wrong). So -1, 5xx,
// timeouts, 45011 and a token that stays rejected after the client's own refresh never fail a
// run: they cost a retry each. A StopSignal (cron/stop_signal.h) cuts waits short; the calling
// thread runs under it, so the client's own retries of a call end too. Used by SyncJob (user/get)
// and PageWorkers (batchget). Thread-safe (each call uses only its arguments).
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>

#include "cron/stop_signal.h"
#include "sync/sync_settings.h"
#include "wechat/backoff.h"
#include "wechat/rate_limiter.h"
#include "wechat/wechat_error.h"

namespace wxb {

enum class FailureClass { Retry, Permanent, Fatal };

inline FailureClass classifyFailure(const WechatError& error) {
  using Kind = WechatError::Kind;
  if (error.kind == Kind::Quota || error.kind == Kind::IpWhitelist) return FailureClass::Fatal;
  if (error.kind == Kind::Permanent) return FailureClass::Permanent;
  return FailureClass::Retry;
}

// Calls fn() (returning WechatResult<T>) up to settings.retryAttempts times. On failure returns
// the last error; when the stop signal ended the waiting, stop.stopped() is true.
template <typename Fn>
auto callWithRetry(Fn&& fn, const SyncSettings& settings, RateLimiter& limiter, StopSignal& stop,
                   std::atomic<int64_t>& errors) -> decltype(fn()) {
  for (int attempt = 1;; ++attempt) {
    if (!stop.sleepFor(limiter.reserve())) {
      return std::unexpected(WechatError{WechatError::Kind::Transport, "", 0, "sync stopping"});
    }
    auto result = fn();
    if (result) return result;
    errors.fetch_add(1);
    if (classifyFailure(result.error()) != FailureClass::Retry) return result;
    if (attempt >= settings.retryAttempts) return result;
    const int64_t waitMs = jitteredBackoffMs(attempt, settings.retryBaseMs, settings.retryMaxMs);
    if (!stop.sleepFor(waitMs)) return result;
  }
}

}  // namespace wxb
