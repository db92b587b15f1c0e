// Daily API quotas (errcode 45009) and the clear_quota allowance (errcode 48006).
//
// Each app (OA, MP) has its own counters. A call counts once it has passed the token check; a
// call refused for quota does not count. Limits come from --quota and POST /__fake/config; an
// API without a configured limit is not limited, and quota/get then reports the platform's
// documented default as daily_limit (see docs/fake-wechat.md). Counters reset at midnight China
// time of the fake clock, or by clear_quota (10 times a month per app).
// Thread-safety: all members are thread-safe (one mutex; every critical section is tiny).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fake_wechat/fake_clock.h"
#include "fake_wechat/options.h"

namespace wxb::fake {

// Maps a short API name (template_send, user_get, ...) or a platform path to the path.
// Returns nullopt for anything else.
std::optional<std::string> canonicalApiPath(std::string_view nameOrPath);

// The short names and paths of every API a quota can be set on.
const std::vector<std::pair<std::string, std::string>>& quotaApiNames();

struct QuotaView {
  int64_t dailyLimit = 0;
  int64_t used = 0;
  int64_t remain = 0;
  bool enforced = false;
};

class QuotaBook {
 public:
  inline static constexpr int kClearsPerMonth = 10;

  QuotaBook(const std::map<std::string, int64_t>& limits, const FakeClock& clock);

  // Counts one call of `path` by `app`. Returns false (and counts nothing) when the limit is
  // reached.
  bool consume(App app, const std::string& path);

  QuotaView view(App app, const std::string& path);

  // Resets every counter of `app`. Returns false when this month's allowance is used up.
  bool clear(App app);

  void setLimit(const std::string& path, int64_t limit);
  std::map<std::string, int64_t> limits() const;

 private:
  void rollOver();  // requires mutex_

  const FakeClock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, int64_t> limits_;
  std::map<std::pair<App, std::string>, int64_t> used_;
  int64_t day_ = 0;
  int64_t month_ = 0;
  int clears_[2] = {0, 0};
};

}  // namespace wxb::fake
