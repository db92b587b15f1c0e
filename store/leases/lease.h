// Lease: a scoped hold on one store lease (store/leases/leases.h), the way std::unique_lock
// with try_to_lock holds a mutex: the constructor tries to take the lease, renew() keeps it,
// the destructor gives it up. Each Lease has an owner name of its own (store/leases/lease_owner.h);
// a lease left by an exited process of this host is taken over at once instead of after its
// TTL. keepAlive() renews it on a thread of its own for work that runs longer than the TTL.
//
// Used for every lease: the sync, the token refresh, the digest, the retention purge and the
// sending serve. A Lease is used by one thread at a time (its heartbeat is internal); the
// constructor and renew() throw StoreUnavailable or StoreError; the destructor never throws
// (a failed release is logged: the lease then lapses by itself).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cron/clock.h"
#include "store/leases/leases.h"

namespace wxb {

class Lease {
 public:
  // Tries to take lease `name` for ttlMs (milliseconds). held() tells whether it did.
  Lease(Leases& leases, const Clock& clock, std::string name, int64_t ttlMs);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  bool held() const { return held_; }
  explicit operator bool() const { return held_; }
  // Who held the lease when this one last failed to take it ("(unknown)" when it changed hands
  // meanwhile); nullopt while held.
  const std::optional<LeaseHolder>& holder() const { return holder_; }
  const std::string& owner() const { return owner_; }

  // Holds the lease until now + ttlMs: renews it while held, or takes it again when it is free.
  // Returns false when another owner holds it.
  bool renew();

  // Renews the lease every third of its TTL until destruction. When a renewal finds it taken
  // over, or the store unreachable past the lease's expiry, calls onLoss(reason) once and stops.
  void keepAlive(std::function<void(const std::string& reason)> onLoss);

 private:
  bool take();
  bool tryOnce();
  void heartbeat(const std::function<void(const std::string&)>& onLoss);
  bool heartbeatOnce(const std::function<void(const std::string&)>& onLoss);

  Leases& leases_;
  const Clock& clock_;
  const std::string name_;
  const int64_t ttlMs_;
  const std::string owner_;
  bool held_ = false;
  std::optional<LeaseHolder> holder_;
  int64_t heldUntilMs_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread heartbeat_;
};

}  // namespace wxb
