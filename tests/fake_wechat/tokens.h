// access_token issuing and checking for both apps, classic (/cgi-bin/token) and stable
// (/cgi-bin/stable_token), each kind isolated from the other as on the platform.
//
// Classic: every fetch issues a new token; the one it replaces stays valid for --token-overlap
// seconds; anything older dies at once. Stable: force_refresh=false returns the current token
// and renews it only when none is alive or it is within the renew window of expiry (the old one
// then lives until its own expiry); force_refresh=true rotates at once, killing the old one, at
// most --force-refresh-daily times a day and --force-refresh-interval seconds apart.
// check() answers 0, 40001 (unknown, replaced, invalidated, stuck or another app's), 40014
// (malformed) or 42001 (expired). Dead tokens are remembered for an hour so expiry is told apart
// from invalidity. Thread-safety: all members are thread-safe (one shared_mutex; checks share it).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "fake_wechat/fake_clock.h"
#include "fake_wechat/options.h"

namespace wxb::fake {

struct TokenSettings {
  int64_t ttl = 7200;
  int64_t overlap = 300;
  int64_t stableRenewWindow = 300;
  int64_t forceRefreshInterval = 30;
  int forceRefreshDaily = 20;
};

struct IssuedToken {
  std::string value;
  int64_t expiresIn = 0;
  bool fresh = false;  // newly issued by this call
};

// Why a forced stable refresh was refused (both answered 45011).
enum class ForceRefused { kTooSoon, kDailyLimit };

inline constexpr int kTokenLength = 136;

class TokenService {
 public:
  TokenService(const TokenSettings& settings, const FakeClock& clock);

  IssuedToken fetchClassic(App app);
  std::variant<IssuedToken, ForceRefused> fetchStable(App app, bool forceRefresh);

  // 0 when `token` is alive and belongs to `app`, else 40001, 40014 or 42001.
  int check(std::string_view token, App app) const;

  // Kills every live token of `app` (both kinds, no overlap). Returns how many died.
  int invalidate(App app);
  // Makes every live token of `app` rejected (40001) by the APIs while stable_token without
  // force_refresh keeps returning the current one: the stuck token a forced refresh exists
  // for. Returns how many tokens are stuck.
  int stick(App app);

 private:
  enum Kind { kClassic = 0, kStable = 1 };
  struct Record {
    App app;
    int64_t expiresAt;   // fake-clock milliseconds, like every time here
    int64_t validUntil;  // when it was replaced or invalidated; INT64_MAX while not
    bool stuck = false;  // rejected by the APIs though stable_token still hands it out
  };
  struct Slot {
    std::string current;
    std::string previous;  // classic only: the one inside its overlap
  };
  struct ForceState {
    int64_t lastAt = 0;  // ms
    int64_t day = -1;
    int count = 0;
  };

  const std::string& issue(App app, Kind kind, int64_t nowMs);  // requires unique lock
  bool alive(const std::string& token, int64_t now, int64_t margin) const;
  void retire(const std::string& token, int64_t until);
  // Applies `change` to every live token of `app`; returns how many. Requires unique lock.
  int forEachLive(App app, int64_t now, const std::function<void(Record&)>& change);
  void prune(int64_t now);
  Slot& slot(App app, Kind kind) { return slots_[static_cast<int>(app)][kind]; }
  std::optional<ForceRefused> admitForce(App app, int64_t now);

  const TokenSettings settings_;
  const FakeClock& clock_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  Slot slots_[2][2];
  ForceState force_[2];
  std::size_t pruneAt_ = 4096;
};

}  // namespace wxb::fake
