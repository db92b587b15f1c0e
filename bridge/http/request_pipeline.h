// RequestPipeline: what every request goes through between its parsed head and its response,
// whichever connection it came on. admit() runs before the body is read: route (404, 405; HEAD
// is routed as GET), access (403 allowlist with X-Forwarded-For from trusted proxies, 401 API
// key) and the declared body size (413, against the route's limit: the smaller of the server's
// http.max_body_bytes and the route's own); a request refused there is answered at once and
// its body never read. A chunked body is held to the same limit as it is read. run() calls the
// route's handler with one catch: a store outage is a 503, anything unexpected a logged 500.
// record() and recordRejected() count every answer in /metrics and write the access log line
// ("wxb.http.access"). Called by the connection loop (http_connection.cpp) on worker threads.
// Thread-safe; holds references to the server's settings, router and metrics, which must outlive
// it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bridge/http/http_settings.h"
#include "bridge/http/request_head.h"
#include "bridge/http/router.h"
#include "bridge/metrics/metrics.h"

namespace wxb {

struct Admission {
  const Route* route = nullptr;
  ApiRequest request;                // method GET for a HEAD request
  std::string label = "unmatched";   // the route pattern, for metrics and the access log
  std::optional<ApiResponse> early;  // set: answer this now and never read the body
  bool headOnly = false;             // HEAD: send the headers of the answer only
  size_t maxBodyBytes = 0;           // the body limit of this request, bytes
};

// 413 body_too_large naming the limit (bytes) the body went past.
ApiResponse bodyTooLarge(size_t limitBytes);

class RequestPipeline {
 public:
  RequestPipeline(const HttpSettings& settings, const Router& router, Metrics& metrics);

  // `peer` is the connection's remote address (textual IPv4 or IPv6).
  Admission admit(const RequestHead& head, const std::string& peer) const;
  // The route's answer for an admitted request whose body has been read into request.body.
  ApiResponse run(const Admission& admission) const;

  // One answered request: counted by route, method and status, its latency observed, one
  // access log line.
  void record(std::string_view method, const std::string& label, int status, double seconds,
              const std::string& peer) const;
  // A request or connection refused below the routes (malformed head, timeout, limits):
  // counted by `reason` too, answered with `status` (0: closed without an answer).
  void recordRejected(std::string_view reason, std::string_view method, int status,
                      const std::string& peer) const;

 private:
  std::optional<ApiResponse> checkAccess(const Route& route, const RequestHead& head,
                                         ApiRequest& request) const;

  const HttpSettings& settings_;
  const Router& router_;
  Metrics& metrics_;
};

}  // namespace wxb
