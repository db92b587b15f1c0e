#include "bridge/http/http_server.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <chrono>
#include <thread>

#include "store/store.h"

namespace wxb {

namespace {

Poco::Logger& accessLog() { return Poco::Logger::get("wxb.http.access"); }

// Reads at most limit + 1 bytes, so an oversized chunked body is detected without reading it all.
bool readBody(Poco::Net::HTTPServerRequest& request, size_t limit, std::string& body) {
  if (request.hasContentLength() && request.getContentLength64() > static_cast<int64_t>(limit)) {
    return false;
  }
  std::istream& in = request.stream();
  char buffer[8192];
  while (in && body.size() <= limit) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<size_t>(in.gcount()));
  }
  return body.size() <= limit;
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  ApiHandler(const HttpSettings& settings, const Router& router, Metrics& metrics)
      : settings_(settings), router_(router), metrics_(metrics) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    auto started = std::chrono::steady_clock::now();
    std::string label = "unmatched";
    std::string peer = request.clientAddress().host().toString();
    ApiResponse result = process(request, peer, label);
    send(response, result);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record(request.getMethod(), label, result.status, seconds, peer);
  }

 private:
  ApiResponse process(Poco::Net::HTTPServerRequest& request, const std::string& peer,
                      std::string& label) {
    std::string path;
    try {
      path = Poco::URI(request.getURI()).getPath();
    } catch (const Poco::Exception&) {
      return apiError(400, "invalid_uri", "the request URI is malformed");
    }
    RouteMatch match = router_.match(request.getMethod(), path);
    if (!match.route) return unmatched(match);
    label = match.route->pattern;
    ApiRequest api{request.getMethod(), path, std::move(match.params), "", peer};
    if (auto denied = checkAccess(*match.route, request, api)) return *denied;
    if (!readBody(request, settings_.maxBodyBytes, api.body)) {
      return apiError(413, "body_too_large",
                      "body: larger than " + std::to_string(settings_.maxBodyBytes) + " bytes");
    }
    return invoke(*match.route, api);
  }

  static ApiResponse unmatched(const RouteMatch& match) {
    if (match.allowedMethods.empty()) return apiError(404, "not_found", "no such route");
    std::string allow;
    for (const auto& m : match.allowedMethods) allow += (allow.empty() ? "" : ", ") + m;
    ApiResponse r = apiError(405, "method_not_allowed", "allowed: " + allow);
    r.headers["Allow"] = allow;
    return r;
  }

  std::optional<ApiResponse> checkAccess(const Route& route,
                                         const Poco::Net::HTTPServerRequest& request,
                                         ApiRequest& api) const {
    if (route.access == Access::Public) return std::nullopt;
    api.clientIp =
        clientAddress(api.clientIp, request.get("X-Forwarded-For", ""), settings_.trustedProxies);
    if (!settings_.allow.contains(api.clientIp)) {
      return apiError(403, "forbidden", "client address " + api.clientIp + " is not in http.allow");
    }
    if (route.access == Access::ApiKey &&
        !settings_.apiKeys.checkAuthorization(request.get("Authorization", ""))) {
      ApiResponse r =
          apiError(401, "unauthorized", "Authorization: Bearer KEY is missing or wrong");
      r.headers["WWW-Authenticate"] = "Bearer";
      return r;
    }
    return std::nullopt;
  }

  static ApiResponse invoke(const Route& route, const ApiRequest& api) {
    try {
      return route.handler(api);
    } catch (const StoreUnavailable& e) {
      Poco::Logger::get("wxb.http")
          .error("%s: store unavailable: %s", route.pattern, std::string(e.what()));
      return apiError(503, "store_unavailable",
                      "the store is unreachable or cannot take writes; retry later");
    } catch (const std::exception& e) {
      Poco::Logger::get("wxb.http")
          .error("%s: unexpected error: %s", route.pattern, std::string(e.what()));
      return apiError(500, "internal", "unexpected error; see the server log");
    }
  }

  static void send(Poco::Net::HTTPServerResponse& response, const ApiResponse& result) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(result.status));
    response.setContentType(result.contentType);
    for (const auto& [name, value] : result.headers) response.set(name, value);
    if (result.status == 413) response.setKeepAlive(false);  // the rest of the body is unread
    response.setContentLength64(static_cast<int64_t>(result.body.size()));
    response.send() << result.body;
  }

  void record(const std::string& method, const std::string& label, int status, double seconds,
              const std::string& peer) {
    std::string code = std::to_string(status);
    metrics_.increment("wxbridge_http_requests_total",
                       {{"route", label}, {"method", method}, {"status", code}});
    metrics_.observe("wxbridge_http_request_duration_seconds", {{"route", label}}, seconds);
    if (accessLog().information()) {
      accessLog().information("%s %s %d %.2fms peer=%s", method, label, status, seconds * 1000,
                              peer);
    }
  }

  const HttpSettings& settings_;
  const Router& router_;
  Metrics& metrics_;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  ApiHandlerFactory(const HttpSettings& settings, const Router& router, Metrics& metrics)
      : settings_(settings), router_(router), metrics_(metrics) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new ApiHandler(settings_, router_, metrics_);
  }

 private:
  const HttpSettings& settings_;
  const Router& router_;
  Metrics& metrics_;
};

}  // namespace

void describeHttpMetrics(Metrics& metrics) {
  metrics.describe("wxbridge_http_requests_total", Metrics::Type::Counter,
                   "HTTP requests by route, method and status");
  metrics.describe("wxbridge_http_request_duration_seconds", Metrics::Type::Histogram,
                   "HTTP request latency by route",
                   {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5});
}

HttpServer::HttpServer(const HttpSettings& settings, const Router& router, Metrics& metrics)
    : settings_(settings), router_(router), metrics_(metrics) {}

HttpServer::~HttpServer() {
  if (server_) server_->stopAll(true);
}

void HttpServer::start() {
  Poco::Net::SocketAddress address(settings_.bind, static_cast<Poco::UInt16>(settings_.port));
  Poco::Net::ServerSocket socket(address, 256);
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(settings_.threads);
  params->setMaxQueued(settings_.queue);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(settings_.keepAliveTimeoutMs * 1000L));
  params->setTimeout(Poco::Timespan(settings_.requestTimeoutMs * 1000L));
  pool_ = std::make_unique<Poco::ThreadPool>(2, settings_.threads + 1);
  server_ = std::make_unique<Poco::Net::HTTPServer>(
      new ApiHandlerFactory(settings_, router_, metrics_), *pool_, socket, params);
  server_->start();
}

int HttpServer::port() const { return server_ ? server_->port() : 0; }

void HttpServer::stop() {
  if (!server_) return;
  server_->stopAll(false);  // stop accepting; close idle keep-alive connections
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settings_.drainSeconds);
  while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  server_->stopAll(true);
  pool_->joinAll();
}

}  // namespace wxb
