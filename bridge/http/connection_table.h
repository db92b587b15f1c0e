// ConnectionTable: the server's open connections, with the limits on how many there may be (in
// all, and per peer address) and their deadlines. Each connection sits in an Entry whose address
// is what the event loop gets back from epoll. An Entry is Busy while a worker drives it and
// Waiting while it waits in epoll; expire() (the housekeeping thread, every 100 ms) turns a
// Waiting entry whose deadline has passed into Expired and shuts its socket's read side (both
// sides if it waits to write), so that epoll reports it and the worker that takes it sees
// Expired. Only a worker that holds an entry (Busy) removes it. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "bridge/http/http_connection.h"

namespace wxb {

class ConnectionTable {
 public:
  enum class State { Waiting, Busy, Expired };

  struct Entry {
    std::unique_ptr<HttpConnection> connection;
    std::string limitedPeer;  // the peer address counted against the per-peer cap; "" if none
    std::atomic<State> state{State::Busy};
    std::atomic<int64_t> deadlineMs{0};
    std::atomic<bool> waitsToWrite{false};
    std::atomic<bool> idle{false};
  };

  enum class Refusal { None, TooManyConnections, TooManyFromPeer };

  ConnectionTable(size_t maxConnections, size_t maxPerPeer);
  ~ConnectionTable();

  // Whether one more connection from `peer` fits; `limited`: it counts against the per-peer
  // cap. Only the accepting thread adds, so what this says still holds when it calls add().
  Refusal check(const std::string& peer, bool limited) const;
  // Adds a connection (Busy) and returns its entry.
  Entry* add(std::unique_ptr<HttpConnection> connection, const std::string& peer, bool limited);
  // Closes the connection and forgets it. Only by the worker that holds the entry.
  void remove(Entry* entry);
  // Expires the Waiting entries whose deadline is at or before nowMs, and, when `idleToo`, the
  // idle ones (the server drains). Returns how many.
  size_t expire(int64_t nowMs, bool idleToo);
  // Shuts every socket both ways, so that every waiting connection is reported and closed and
  // every write in progress fails at once (the end of a drain).
  void shutdownAll();
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  size_t maxConnections_;
  size_t maxPerPeer_;
  std::unordered_map<Entry*, std::unique_ptr<Entry>> entries_;
  std::unordered_map<std::string, size_t> perPeer_;
};

}  // namespace wxb
