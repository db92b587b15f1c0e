#include "bridge/http/connection_table.h"

#include <sys/socket.h>

namespace wxb {

ConnectionTable::ConnectionTable(size_t maxConnections, size_t maxPerPeer)
    : maxConnections_(maxConnections), maxPerPeer_(maxPerPeer) {}

ConnectionTable::~ConnectionTable() = default;

ConnectionTable::Refusal ConnectionTable::check(const std::string& peer, bool limited) const {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= maxConnections_) return Refusal::TooManyConnections;
  if (limited) {
    auto found = perPeer_.find(peer);
    if (found != perPeer_.end() && found->second >= maxPerPeer_) return Refusal::TooManyFromPeer;
  }
  return Refusal::None;
}

ConnectionTable::Entry* ConnectionTable::add(std::unique_ptr<HttpConnection> connection,
                                             const std::string& peer, bool limited) {
  auto entry = std::make_unique<Entry>();
  entry->connection = std::move(connection);
  if (limited) entry->limitedPeer = peer;
  Entry* raw = entry.get();
  std::lock_guard lock(mutex_);
  if (limited) ++perPeer_[peer];
  entries_.emplace(raw, std::move(entry));
  return raw;
}

void ConnectionTable::remove(Entry* entry) {
  std::unique_ptr<Entry> owned;
  {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(entry);
    if (found == entries_.end()) return;
    owned = std::move(found->second);
    entries_.erase(found);
    if (!owned->limitedPeer.empty()) {
      auto peer = perPeer_.find(owned->limitedPeer);
      if (peer != perPeer_.end() && --peer->second == 0) perPeer_.erase(peer);
    }
  }
  // Closed outside the lock; nothing else refers to the entry once it is out of the table.
}

size_t ConnectionTable::expire(int64_t nowMs, bool idleToo) {
  size_t expired = 0;
  std::lock_guard lock(mutex_);
  for (auto& [raw, entry] : entries_) {
    if (entry->state.load() != State::Waiting) continue;
    if (entry->deadlineMs.load() > nowMs && !(idleToo && entry->idle.load())) continue;
    State waiting = State::Waiting;
    if (!entry->state.compare_exchange_strong(waiting, State::Expired)) continue;
    // The socket is still open: a worker closes it only after remove(), which needs the lock.
    shutdown(entry->connection->fd(), entry->waitsToWrite.load() ? SHUT_RDWR : SHUT_RD);
    ++expired;
  }
  return expired;
}

void ConnectionTable::shutdownAll() {
  std::lock_guard lock(mutex_);
  for (auto& [raw, entry] : entries_) shutdown(entry->connection->fd(), SHUT_RDWR);
}

size_t ConnectionTable::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace wxb
