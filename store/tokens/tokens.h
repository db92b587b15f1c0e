// Tokens: the stored access_token of each app ("oa", "mp") with its expiry and a version that
// makes every write a compare-and-set, and the count of forced refreshes the platform allows
// (so many a China-time day, a gap apart). Used by the token service (wechat/token_service.h);
// reached through Store::tokens().
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Times are Unix milliseconds from the caller's Clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wxb {

struct StoredToken {
  std::string app;  // "oa" or "mp"
  std::string accessToken;
  int64_t expiresAtMs = 0;
  int64_t fetchedAtMs = 0;
  int64_t version = 0;  // grows by one with every stored token; 0 means none stored yet
};

class Db;
struct TokensSql;

class Tokens {
 public:
  explicit Tokens(Db& db);

  // The stored token of `app`, nullopt when none was ever stored.
  std::optional<StoredToken> load(const std::string& app);
  // Compare-and-set: stores the token only if the stored version is still `expectedVersion`
  // (0: nothing stored yet). Returns the new version, or nullopt when another writer won.
  std::optional<int64_t> save(const std::string& app, const std::string& token, int64_t expiresAtMs,
                              int64_t fetchedAtMs, int64_t expectedVersion);
  // Marks the stored token expired only if it is still `deadToken`. Returns true if it was.
  bool expire(const std::string& app, const std::string& deadToken);
  // Counts a forced refresh if the platform's limits allow one now: at most maxPerDay on the
  // China-time day `day` (YYYY-MM-DD) and at least minGapMs after the previous one.
  bool tryCountForcedRefresh(const std::string& app, const std::string& day, int64_t nowMs,
                             int64_t minGapMs, int maxPerDay);
  // Forced refreshes counted on `day` so far.
  int forcedRefreshesOn(const std::string& app, const std::string& day);

 private:
  Db& db_;
  const TokensSql& sql_;
};

}  // namespace wxb
