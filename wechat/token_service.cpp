#include "wechat/token_service.h"

#include <Poco/Logger.h>

#include <chrono>

#include "cron/stop_signal.h"
#include "store/leases/lease.h"
#include "wechat/china_day.h"

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.token"); }

size_t slot(App app) { return app == App::Oa ? 0 : 1; }

WechatError tokenError(WechatError::Kind kind, const std::string& message) {
  return WechatError{kind, "token", 0, message};
}

}  // namespace

TokenService::TokenService(Tokens& tokens, Leases& leases, WechatClient& platform,
                           const Clock& clock, TokenServiceSettings settings)
    : tokens_(tokens),
      leases_(leases),
      platform_(platform),
      clock_(clock),
      settings_(std::move(settings)) {}

std::string TokenService::leaseName(App app) const { return std::string("token.") + appName(app); }

void TokenService::report(App app, const std::string& outcome) {
  if (settings_.onRefresh) settings_.onRefresh(app, outcome);
}

std::optional<StoredToken> TokenService::loadCached(App app, bool fresh) {
  int64_t now = clock_.nowMs();
  {
    std::lock_guard lock(cacheMutex_);
    const Cached& c = cache_[slot(app)];
    if (!fresh && c.readAtMs != 0 && now - c.readAtMs < settings_.cacheMs) return c.token;
  }
  auto token = tokens_.load(appName(app));
  std::lock_guard lock(cacheMutex_);
  cache_[slot(app)] = Cached{token, now};
  return token;
}

bool TokenService::usable(const std::optional<StoredToken>& token) const {
  return token && token->expiresAtMs - clock_.nowMs() > settings_.usableMarginMs;
}

WechatResult<std::string> TokenService::accessToken(App app) {
  auto token = currentToken(app);
  if (!token) return std::unexpected(token.error());
  return token->accessToken;
}

WechatResult<StoredToken> TokenService::currentToken(App app) {
  auto cached = loadCached(app, false);
  if (usable(cached)) return *cached;
  return refresh(app, settings_.usableMarginMs, "");
}

void TokenService::tokenRejected(App app, const std::string& token) {
  bool expired = tokens_.expire(appName(app), token);
  {
    std::lock_guard lock(cacheMutex_);
    cache_[slot(app)].readAtMs = 0;
  }
  logger().warning("%s token rejected by the platform; %s", std::string(appName(app)),
                   std::string(expired ? "expired it" : "a newer token was already stored"));
  report(app, "rejected");
}

WechatResult<StoredToken> TokenService::refreshStale(App app, const std::string& staleToken) {
  auto current = loadCached(app, true);
  if (usable(current) && current->accessToken != staleToken) return *current;
  if (usable(current)) {
    // A business server may call an API the token does not cover and blame the token: ask
    // the platform before a refresh that would rotate it for every holder.
    auto probe = platform_.probeToken(app, staleToken);
    if (probe) {
      report(app, "stale_report_refuted");
      logger().information("%s token reported stale but the platform accepts it; kept",
                           std::string(appName(app)));
      return *current;
    }
    if (probe.error().kind != WechatError::Kind::TokenInvalid) {
      logger().warning("%s token reported stale; the platform could not confirm it: %s",
                       std::string(appName(app)), probe.error().describe());
      return std::unexpected(probe.error());
    }
  }
  return refresh(app, settings_.usableMarginMs, staleToken);
}

WechatResult<StoredToken> TokenService::refreshIfDue(App app) {
  return refresh(app, settings_.refreshAheadMs, "");
}

// A refresh is needed when there is no token, it has less than aheadMs left, or it is dead.
WechatResult<StoredToken> TokenService::refresh(App app, int64_t aheadMs,
                                                const std::string& deadToken) {
  std::lock_guard one(refreshing_[slot(app)]);
  auto needs = [&](const std::optional<StoredToken>& t) {
    return !t || t->expiresAtMs - clock_.nowMs() < aheadMs ||
           (!deadToken.empty() && t->accessToken == deadToken);
  };
  auto stored = loadCached(app, true);
  if (!needs(stored)) return *stored;
  Lease lease(leases_, clock_, leaseName(app), settings_.leaseTtlMs);
  if (!lease) return waitForOtherRefresher(app, deadToken);
  stored = tokens_.load(appName(app));  // again, now that we hold the lease
  return needs(stored) ? refreshHoldingLease(app, stored, deadToken) : *stored;
}

WechatResult<StoredToken> TokenService::refreshHoldingLease(
    App app, const std::optional<StoredToken>& stored, const std::string& deadToken) {
  // A token expired by tokenRejected() keeps its value: that value is the dead one.
  std::string dead = deadToken;
  if (dead.empty() && stored && stored->expiresAtMs == 0) dead = stored->accessToken;
  auto fetched = fetch(app, false);
  if (fetched && !dead.empty() && fetched->token == dead) {
    int64_t now = clock_.nowMs();
    if (!tokens_.tryCountForcedRefresh(appName(app), chinaDay(now), now, settings_.forcedGapMs,
                                       settings_.maxForcedPerDay)) {
      report(app, "forced_refused");
      return std::unexpected(tokenError(
          WechatError::Kind::Frequency,
          "the platform still returns the rejected token and a forced refresh is not allowed "
          "now (at most " +
              std::to_string(settings_.maxForcedPerDay) + " a day, " +
              std::to_string(settings_.forcedGapMs / 1000) + " s apart)"));
    }
    report(app, "forced");
    fetched = fetch(app, true);
  }
  if (!fetched) {
    report(app, "failed");
    logger().error("%s token refresh failed: %s", std::string(appName(app)),
                   fetched.error().describe());
    return std::unexpected(fetched.error());
  }
  return save(app, stored, *fetched);
}

WechatResult<AccessToken> TokenService::fetch(App app, bool force) {
  if (settings_.stableEndpoint) return platform_.fetchStableToken(app, force);
  return platform_.fetchToken(app);
}

WechatResult<StoredToken> TokenService::save(App app, const std::optional<StoredToken>& previous,
                                             const AccessToken& fetched) {
  int64_t now = clock_.nowMs();
  StoredToken token{appName(app), fetched.token, now + fetched.expiresInSeconds * 1000, now, 0};
  auto version = tokens_.save(token.app, token.accessToken, token.expiresAtMs, now,
                              previous ? previous->version : 0);
  if (!version) {
    // Our lease lapsed and another instance stored a newer token: theirs wins.
    auto newer = loadCached(app, true);
    if (newer) return *newer;
    return std::unexpected(tokenError(WechatError::Kind::Transport, "token store race"));
  }
  token.version = *version;
  {
    std::lock_guard lock(cacheMutex_);
    cache_[slot(app)] = Cached{token, now};
  }
  report(app, "refreshed");
  logger().information("%s token stored: version %Ld, expires in %Ld s", std::string(appName(app)),
                       token.version, fetched.expiresInSeconds);
  return token;
}

WechatResult<StoredToken> TokenService::waitForOtherRefresher(App app,
                                                              const std::string& deadToken) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.waitForOtherMs);
  while (std::chrono::steady_clock::now() < deadline) {
    auto stored = loadCached(app, true);
    if (usable(stored) && stored->accessToken != deadToken) return *stored;
    if (!sleepUnlessStopped(100)) {
      return std::unexpected(tokenError(WechatError::Kind::Transport,
                                        "stopping: no longer waiting for the other instance's "
                                        "token refresh"));
    }
  }
  return std::unexpected(tokenError(WechatError::Kind::Transport,
                                    "another instance holds the token refresh lease and has not "
                                    "stored a usable token in time"));
}

TokenStatus TokenService::status(App app) {
  TokenStatus status;
  int64_t now = clock_.nowMs();
  status.token = tokens_.load(appName(app));
  status.forcedRefreshesToday = tokens_.forcedRefreshesOn(appName(app), chinaDay(now));
  status.refresher = leases_.holder(leaseName(app), now);
  return status;
}

}  // namespace wxb
