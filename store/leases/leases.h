// Leases: named locks with an expiry, one holder at a time across every process sharing the
// database (the sync, the token refresh of each app, the digest, the retention purge, the
// sending serve). Reached through Store::leases(); components hold one through the scoped
// Lease (store/leases/lease.h) rather than calling these directly.
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Times are Unix milliseconds from the caller's Clock; instances sharing a database are assumed
// to have NTP-synced clocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wxb {

struct LeaseHolder {
  std::string owner;
  int64_t expiresAtMs = 0;
};

class Db;
struct LeasesSql;

class Leases {
 public:
  explicit Leases(Db& db);

  // Takes the lease when it is free or expired, or renews it when `owner` holds it. Returns
  // true when `owner` holds the lease until nowMs + ttlMs.
  bool tryAcquire(const std::string& name, const std::string& owner, int64_t ttlMs, int64_t nowMs);
  // Gives the lease up if `owner` holds it; otherwise does nothing.
  void release(const std::string& name, const std::string& owner);
  // Who holds the lease at nowMs; nullopt when it is free or expired.
  std::optional<LeaseHolder> holder(const std::string& name, int64_t nowMs);

 private:
  Db& db_;
  const LeasesSql& sql_;
};

}  // namespace wxb
