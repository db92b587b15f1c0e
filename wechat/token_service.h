// TokenService: the central access_token service. The token of each app (oa, mp) lives in the
// store with its expiry and a version; every instance serves the stored token, and exactly one
// instance at a time fetches a new one (the store lease "token.<app>"), so independent fetchers
// never invalidate each other's tokens (the classic cause of 40001 storms). Writes are
// compare-and-set on the version: an older token never overwrites a newer one. A restart reuses
// the stored token. Forced refreshes obey the platform's limits (20 a day, 30 s apart), counted
// in the store across instances.
//
// Callers: WechatClient (as its TokenSource), the /v1/tokens routes, `wxbridge token`, and the
// refresher job of `serve` (refreshIfDue). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "cron/clock.h"
#include "store/leases/leases.h"
#include "store/tokens/tokens.h"
#include "wechat/token_source.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct TokenServiceSettings {
  bool stableEndpoint = true;  // /cgi-bin/stable_token (default) or the classic /cgi-bin/token
  int64_t refreshAheadMs = 600'000;  // the refresher renews tokens with less left than this
  int64_t usableMarginMs = 30'000;   // a token with less left than this is not handed out
  int64_t leaseTtlMs = 30'000;       // how long one refresh may hold the lease
  int64_t waitForOtherMs = 10'000;   // how long to wait for another instance's refresh
  int64_t cacheMs = 5'000;           // how long a token read from the store is reused unread
  int maxForcedPerDay = 20;
  int64_t forcedGapMs = 30'000;
  std::function<void(App, const std::string& outcome)> onRefresh;  // metrics hook
};

struct TokenStatus {
  std::optional<StoredToken> token;
  int forcedRefreshesToday = 0;
  std::optional<LeaseHolder> refresher;
};

class TokenService final : public TokenSource {
 public:
  // `platform` makes the token calls (a WechatClient without TokenSource is enough).
  TokenService(Tokens& tokens, Leases& leases, WechatClient& platform, const Clock& clock,
               TokenServiceSettings settings);

  // The stored token when it has more than usableMarginMs left, else a refreshed one.
  WechatResult<std::string> accessToken(App app) override;
  // Expires `token` in the store if it is still current; the next accessToken() refreshes.
  void tokenRejected(App app, const std::string& token) override;

  // A business server reports `staleToken` dead. Not the current token: returns the current
  // one. The current token: probes it (WechatClient::probeToken); if the platform accepts it,
  // returns it unchanged and spends nothing; if the platform rejects it, refreshes (forcing a
  // rotation within the daily limits when the platform keeps returning it); if the probe
  // cannot tell (transport, busy, quota), returns that error and changes nothing.
  WechatResult<StoredToken> refreshStale(App app, const std::string& staleToken);
  // The refresher job: renews the token when it has less than refreshAheadMs left.
  WechatResult<StoredToken> refreshIfDue(App app);
  // The current token with its expiry and version, refreshing first if none is usable.
  WechatResult<StoredToken> currentToken(App app);
  TokenStatus status(App app);

 private:
  struct Cached {
    std::optional<StoredToken> token;
    int64_t readAtMs = 0;
  };
  std::optional<StoredToken> loadCached(App app, bool fresh);
  bool usable(const std::optional<StoredToken>& token) const;
  WechatResult<StoredToken> refresh(App app, int64_t aheadMs, const std::string& deadToken);
  WechatResult<StoredToken> refreshHoldingLease(App app, const std::optional<StoredToken>& stored,
                                                const std::string& deadToken);
  WechatResult<StoredToken> waitForOtherRefresher(App app, const std::string& deadToken);
  WechatResult<AccessToken> fetch(App app, bool force);
  WechatResult<StoredToken> save(App app, const std::optional<StoredToken>& previous,
                                 const AccessToken& fetched);
  std::string leaseName(App app) const;
  void report(App app, const std::string& outcome);

  Tokens& tokens_;
  Leases& leases_;
  WechatClient& platform_;
  const Clock& clock_;
  TokenServiceSettings settings_;
  std::array<std::mutex, 2> refreshing_;  // one refreshing thread per app in this process
  std::mutex cacheMutex_;
  std::array<Cached, 2> cache_;
};

}  // namespace wxb
