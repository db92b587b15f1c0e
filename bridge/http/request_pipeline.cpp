#include "bridge/http/request_pipeline.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>

#include "bridge/http/wire_response.h"
#include "store/store.h"

namespace wxb {

namespace {

Poco::Logger& accessLog() { return Poco::Logger::get("wxb.http.access"); }

// Methods become a metrics label: anything a client invents counts as "other", so that no
// client can add series at will.
std::string_view methodLabel(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",   "HEAD",   "POST",   "PUT",
                                                             "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return method.empty() || method == "-" ? "-" : "other";
}

ApiResponse unmatched(const RouteMatch& match) {
  if (match.allowedMethods.empty()) return apiError(404, "not_found", "no such route");
  std::string allow;
  for (const auto& m : match.allowedMethods) {
    allow += (allow.empty() ? "" : ", ") + m;
    if (m == "GET") allow += ", HEAD";
  }
  ApiResponse r = apiError(405, "method_not_allowed", "allowed: " + allow);
  r.headers["Allow"] = allow;
  return r;
}

std::optional<std::string> decodePath(const std::string& path) {
  std::string decoded;
  try {
    Poco::URI::decode(path, decoded);
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
  return decoded;
}

}  // namespace

ApiResponse bodyTooLarge(size_t limitBytes) {
  return apiError(413, "body_too_large",
                  "body: larger than " + std::to_string(limitBytes) + " bytes");
}

RequestPipeline::RequestPipeline(const HttpSettings& settings, const Router& router,
                                 Metrics& metrics)
    : settings_(settings), router_(router), metrics_(metrics) {}

Admission RequestPipeline::admit(const RequestHead& head, const std::string& peer) const {
  Admission a;
  a.headOnly = head.method == "HEAD";
  a.request.method = a.headOnly ? "GET" : head.method;
  a.request.clientIp = peer;
  auto path = decodePath(head.path);
  if (!path) {
    a.early = apiError(400, "invalid_uri", "request target: malformed percent-encoding");
    return a;
  }
  a.request.path = *path;
  a.request.rawQuery = head.query;
  a.request.query = parseQuery(head.query);
  RouteMatch match = router_.match(a.request.method, head.path);
  if (!match.route) {
    a.early = unmatched(match);
    return a;
  }
  a.route = match.route;
  a.label = match.route->pattern;
  a.request.params = std::move(match.params);
  a.maxBodyBytes = a.route->maxBodyBytes == 0
                       ? settings_.maxBodyBytes
                       : std::min(a.route->maxBodyBytes, settings_.maxBodyBytes);
  if (auto denied = checkAccess(*a.route, head, a.request)) {
    a.early = std::move(denied);
  } else if (head.framing == BodyFraming::Length && head.contentLength > a.maxBodyBytes) {
    a.early = bodyTooLarge(a.maxBodyBytes);
  }
  return a;
}

std::optional<ApiResponse> RequestPipeline::checkAccess(const Route& route, const RequestHead& head,
                                                        ApiRequest& request) const {
  if (route.access == Access::Public) return std::nullopt;
  // Every X-Forwarded-For line is part of one list (RFC 9110 5.3).
  request.clientIp =
      clientAddress(request.clientIp, head.joined("x-forwarded-for"), settings_.trustedProxies);
  if (!settings_.allow.contains(request.clientIp)) {
    return apiError(403, "forbidden",
                    "client address " + request.clientIp + " is not in http.allow");
  }
  if (route.access == Access::ApiKey &&
      !settings_.apiKeys.checkAuthorization(head.joined("authorization"))) {
    ApiResponse r = apiError(401, "unauthorized", "Authorization: Bearer KEY is missing or wrong");
    r.headers["WWW-Authenticate"] = "Bearer";
    return r;
  }
  return std::nullopt;
}

ApiResponse RequestPipeline::run(const Admission& admission) const {
  const Route& route = *admission.route;
  try {
    return route.handler(admission.request);
  } catch (const StoreUnavailable& e) {
    Poco::Logger::get("wxb.http")
        .error("%s: store unavailable: %s", route.pattern, std::string(e.what()));
    return apiError(503, "store_unavailable",
                    "the store is unreachable or cannot take writes; retry later");
  } catch (const std::exception& e) {
    Poco::Logger::get("wxb.http")
        .error("%s: unexpected error: %s", route.pattern, std::string(e.what()));
  } catch (...) {
    Poco::Logger::get("wxb.http").error("%s: unexpected error of unknown type", route.pattern);
  }
  return apiError(500, "internal", "unexpected error; see the server log");
}

void RequestPipeline::record(std::string_view method, const std::string& label, int status,
                             double seconds, const std::string& peer) const {
  std::string methodName(methodLabel(method));
  metrics_.increment(
      "wxbridge_http_requests_total",
      {{"route", label}, {"method", methodName}, {"status", std::to_string(status)}});
  metrics_.observe("wxbridge_http_request_duration_seconds", {{"route", label}}, seconds);
  if (accessLog().information()) {
    accessLog().information("%s %s %d %.2fms peer=%s", methodName, label, status, seconds * 1000,
                            peer);
  }
}

void RequestPipeline::recordRejected(std::string_view reason, std::string_view method, int status,
                                     const std::string& peer) const {
  std::string methodName(methodLabel(method));
  std::string reasonName(reason);
  metrics_.increment("wxbridge_http_rejected_total", {{"reason", reasonName}});
  if (status > 0) {
    metrics_.increment(
        "wxbridge_http_requests_total",
        {{"route", "-"}, {"method", methodName}, {"status", std::to_string(status)}});
  }
  if (accessLog().information()) {
    accessLog().information("%s - %d rejected=%s peer=%s", methodName, status, reasonName, peer);
  }
}

}  // namespace wxb
