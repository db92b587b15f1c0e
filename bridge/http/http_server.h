// HttpServer: Poco's HTTPServer (keep-alive, a bounded thread pool) in front of a Router. Every
// request goes through one pipeline: route (404/405), access (403 allowlist, 401 API key), body
// limit (413), the route's handler, and one catch that turns a store outage into 503 and any
// other unexpected exception into a logged 500. Each request gets an access log line
// ("wxb.http.access") and metrics. stop() drains: no new connections, requests in flight finish.
// Thread-safe.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <memory>

#include "bridge/http/http_settings.h"
#include "bridge/http/router.h"
#include "bridge/metrics/metrics.h"

namespace wxb {

class HttpServer {
 public:
  HttpServer(const HttpSettings& settings, const Router& router, Metrics& metrics);
  ~HttpServer();

  // Binds (port 0 picks a free port) and starts serving. Throws Poco::Exception on bind errors.
  void start();
  int port() const;
  // Stops accepting, waits up to drainSeconds for open connections, then closes the rest.
  void stop();

 private:
  const HttpSettings& settings_;
  const Router& router_;
  Metrics& metrics_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

// Declares the HTTP metrics the server records (call once per registry).
void describeHttpMetrics(Metrics& metrics);

}  // namespace wxb
