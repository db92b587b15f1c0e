// HttpServer: `wxbridge serve`'s HTTP/1.1 server in front of a Router. Why not Poco's
// HTTPServer: it gives every connection a thread for as long as it is open and parses heads
// leniently, so 16 clients that each send half a request stop it answering anyone, and a
// request can hide in the body of another (docs/deployment.md, "The HTTP edge").
//
// The model: one housekeeping thread accepts connections (refusing those over
// http.threads + http.queue in all or http.max_connections_per_ip from one peer address with a
// 503) and expires connections whose deadline passed; http.threads workers wait on one epoll
// set (one-shot events, so one worker at a time drives a connection) and each drives the
// connection it is handed as far as the bytes that have arrived allow (HttpConnection): a
// request whose head and body are complete runs on that worker, so a keep-alive request costs
// one wake-up, as before; a half-sent one goes back to epoll and holds no thread. Every request
// goes through RequestPipeline: route (404/405), access (403, 401), body limit (413), the
// route's handler, one catch; each answer is counted in /metrics and logged
// ("wxb.http.access"). Thread-safe; start() and stop() from one thread.
#pragma once

#include <poll.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "bridge/http/connection_table.h"
#include "bridge/http/http_settings.h"
#include "bridge/http/request_pipeline.h"
#include "bridge/http/router.h"
#include "bridge/metrics/metrics.h"

namespace Poco::Net {
class ServerSocket;
}

namespace wxb {

class HttpServer {
 public:
  // `settings`, `router` and `metrics` must outlive the server.
  HttpServer(const HttpSettings& settings, const Router& router, Metrics& metrics);
  // Closes everything at once if stop() was not called.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds (port 0 picks a free port) and starts serving. Throws Poco::Exception on bind errors,
  // std::system_error when epoll or a thread cannot be had.
  void start();
  int port() const { return port_; }
  // Drains: stops accepting, closes idle connections, lets requests in flight finish for up to
  // http.drain_seconds, then closes the rest and joins the threads.
  void stop();

 private:
  void work();
  void serve(ConnectionTable::Entry* entry);
  // Re-arms the entry in epoll for what `next` waits for (op: EPOLL_CTL_ADD or _MOD), or
  // removes it when `next` closes.
  void park(ConnectionTable::Entry* entry, const HttpConnection::Next& next, int op);
  void housekeep();
  void keepOnce(pollfd (&fds)[2]);  // one poll, accept and expiry sweep; may throw
  void acceptAll();
  void admit(int fd, const std::string& peer);
  void refuse(int fd, const std::string& peer, ConnectionTable::Refusal refusal);
  void shutDown();

  const HttpSettings& settings_;
  RequestPipeline pipeline_;
  std::unique_ptr<Poco::Net::ServerSocket> listener_;
  int port_ = 0;
  int epoll_ = -1;
  int stopWorkers_ = -1;  // eventfd in the epoll set, level-triggered: wakes every worker
  int wakeKeeper_ = -1;   // eventfd the housekeeping thread polls
  int64_t acceptPausedUntilMs_ = 0;
  std::unique_ptr<ConnectionTable> table_;
  std::vector<std::thread> workers_;
  std::thread keeper_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> keeping_{false};
};

// Declares the HTTP metrics the server records (call once per registry).
void describeHttpMetrics(Metrics& metrics);

}  // namespace wxb
