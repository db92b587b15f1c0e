#include "store/leases/lease.h"

#include <Poco/Logger.h>

#include <chrono>

#include "store/leases/lease_owner.h"
#include "store/store_error.h"

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.store"); }

}  // namespace

Lease::Lease(Leases& leases, const Clock& clock, std::string name, int64_t ttlMs)
    : leases_(leases),
      clock_(clock),
      name_(std::move(name)),
      ttlMs_(ttlMs),
      owner_(newLeaseOwner()) {
  held_ = take();
}

Lease::~Lease() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  if (!held_) return;
  try {
    leases_.release(name_, owner_);
  } catch (const StoreError& e) {
    logger().warning("could not release the lease %s (it lapses by itself): %s", name_,
                     std::string(e.what()));
  }
}

bool Lease::tryOnce() {
  const int64_t now = clock_.nowMs();
  if (!leases_.tryAcquire(name_, owner_, ttlMs_, now)) return false;
  heldUntilMs_ = now + ttlMs_;
  holder_.reset();
  return true;
}

// Takes the lease, or over from an exited local owner; records the holder when it cannot.
bool Lease::take() {
  if (tryOnce()) return true;
  auto holder = leases_.holder(name_, clock_.nowMs());
  if (holder && !isDeadLocalOwner(holder->owner)) {
    holder_ = holder;
    return false;
  }
  if (holder) {
    logger().warning("lease %s held by %s, which has exited; taking it over", name_, holder->owner);
    leases_.release(name_, holder->owner);
  }
  if (tryOnce()) return true;
  holder_ = leases_.holder(name_, clock_.nowMs()).value_or(LeaseHolder{"(unknown)", 0});
  return false;
}

bool Lease::renew() {
  held_ = take();
  return held_;
}

void Lease::keepAlive(std::function<void(const std::string& reason)> onLoss) {
  heartbeat_ = std::thread([this, onLoss = std::move(onLoss)] { heartbeat(onLoss); });
}

void Lease::heartbeat(const std::function<void(const std::string&)>& onLoss) {
  std::unique_lock lock(mutex_);
  const auto period = std::chrono::milliseconds(std::max<int64_t>(ttlMs_ / 3, 10));
  while (!wake_.wait_for(lock, period, [&] { return stopping_; })) {
    lock.unlock();
    const bool keep = heartbeatOnce(onLoss);
    lock.lock();
    if (!keep) return;
  }
}

// Returns false once the lease is lost for good (and onLoss has been told).
bool Lease::heartbeatOnce(const std::function<void(const std::string&)>& onLoss) {
  try {
    if (tryOnce()) return true;
    onLoss("lost the " + name_ + " lease to another instance");
  } catch (const StoreError& e) {
    logger().warning("cannot renew the lease %s: %s", name_, std::string(e.what()));
    if (clock_.nowMs() < heldUntilMs_) return true;
    onLoss("the " + name_ + " lease lapsed while the store was unreachable");
  }
  return false;
}

}  // namespace wxb
