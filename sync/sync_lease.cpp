#include "sync/sync_lease.h"

#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.sync"); }

// Boot id and PID namespace: two processes with the same tag can see each other's PIDs.
std::string hostTag() {
  static const std::string tag = [] {
    std::string boot;
    std::ifstream("/proc/sys/kernel/random/boot_id") >> boot;
    char ns[64] = {};
    ssize_t n = readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    if (boot.size() < 8 || n <= 0) return "unknown" + std::to_string(std::random_device{}());
    std::string digits;
    for (char c : std::string(ns, static_cast<size_t>(n))) {
      if (c >= '0' && c <= '9') digits += c;
    }
    return boot.substr(0, 8) + "-" + digits;
  }();
  return tag;
}

}  // namespace

std::string newSyncOwner() {
  thread_local std::mt19937 random{std::random_device{}()};
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
  return Poco::Environment::nodeName() + ":" + std::to_string(getpid()) + ":" + hostTag() + ":" +
         suffix;
}

bool isDeadLocalOwner(const std::string& owner) {
  std::vector<std::string> parts;
  for (size_t from = 0;;) {
    const size_t colon = owner.find(':', from);
    parts.push_back(owner.substr(from, colon - from));
    if (colon == std::string::npos) break;
    from = colon + 1;
  }
  if (parts.size() != 4 || parts[0] != Poco::Environment::nodeName() || parts[2] != hostTag()) {
    return false;
  }
  const std::string& pidText = parts[1];
  if (pidText.empty() || pidText.size() > 9 ||
      pidText.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const long pid = std::stol(pidText);
  if (pid <= 0 || pid == getpid()) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::expected<std::unique_ptr<SyncLease>, LeaseHolder> SyncLease::acquire(
    Store& store, const Clock& clock, const std::string& owner, int64_t ttlMs, StopSignal& onLoss) {
  if (!store.tryAcquireLease(kName, owner, ttlMs, clock.nowMs())) {
    auto holder = store.leaseHolder(kName, clock.nowMs());
    if (holder && !isDeadLocalOwner(holder->owner)) return std::unexpected(*holder);
    if (holder) {
      logger().warning("sync lease held by %s, which has exited; taking it over", holder->owner);
      store.releaseLease(kName, holder->owner);
    }
    if (!store.tryAcquireLease(kName, owner, ttlMs, clock.nowMs())) {
      auto now = store.leaseHolder(kName, clock.nowMs());
      return std::unexpected(now.value_or(LeaseHolder{"(unknown)", 0}));
    }
  }
  return std::unique_ptr<SyncLease>(new SyncLease(store, clock, owner, ttlMs, onLoss));
}

SyncLease::SyncLease(Store& store, const Clock& clock, std::string owner, int64_t ttlMs,
                     StopSignal& onLoss)
    : store_(store),
      clock_(clock),
      owner_(std::move(owner)),
      ttlMs_(ttlMs),
      onLoss_(onLoss),
      heldUntilMs_(clock.nowMs() + ttlMs) {
  thread_ = std::thread([this] { heartbeat(); });
}

SyncLease::~SyncLease() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  thread_.join();
  try {
    store_.releaseLease(kName, owner_);
  } catch (const StoreError& e) {
    logger().warning("could not release the sync lease (it lapses by itself): %s",
                     std::string(e.what()));
  }
}

void SyncLease::heartbeat() {
  std::unique_lock lock(mutex_);
  const auto period = std::chrono::milliseconds(std::max<int64_t>(ttlMs_ / 3, 10));
  while (!wake_.wait_for(lock, period, [&] { return stopping_; })) {
    lock.unlock();
    const bool held = renew();
    lock.lock();
    if (!held) return;
  }
}

// Returns false once the lease is lost for good (and the run has been told to stop).
bool SyncLease::renew() {
  try {
    const int64_t now = clock_.nowMs();
    if (store_.tryAcquireLease(kName, owner_, ttlMs_, now)) {
      heldUntilMs_ = now + ttlMs_;
      return true;
    }
    onLoss_.request("lost the sync lease to another instance");
    return false;
  } catch (const StoreError& e) {
    logger().warning("cannot renew the sync lease: %s", std::string(e.what()));
    if (clock_.nowMs() < heldUntilMs_) return true;
    onLoss_.request("the sync lease lapsed while the store was unreachable");
    return false;
  }
}

}  // namespace wxb
