// Router: maps a method and path to a route. Patterns are split on '/'; a segment "{name}"
// captures one path segment, "{name}:verb" captures a segment ending in ":verb" (Google API
// style custom methods, e.g. /v1/tokens/{app}:refresh); other segments match literally.
// A path that matches a pattern under another method yields 405 with the allowed methods.
// Built once at start, each route group (bridge/routes/) adding its routes; match() is
// thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bridge/http/api_types.h"

namespace wxb {

using RouteHandler = std::function<ApiResponse(const ApiRequest&)>;

// Who may call a route: /v1 needs an allowed address and an API key; /metrics an allowed
// address; health checks and the platform's callback anyone (the callback checks signatures).
enum class Access { Public, Allowlist, ApiKey };

struct Route {
  std::string method;
  std::string pattern;  // also the route label in logs and metrics
  Access access = Access::ApiKey;
  RouteHandler handler;
  // The route's own body limit in bytes, when smaller than the server's http.max_body_bytes
  // (0: the server's): the edge answers 413 for a larger body before reading it.
  size_t maxBodyBytes = 0;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method and path
  std::map<std::string, std::string> params;
  std::vector<std::string> allowedMethods;  // when the path matched under other methods
};

// A Route whose handler is a member function of a route group: (group->*handler)(request).
// The group must outlive the router.
template <typename Group>
Route groupRoute(const char* method, const char* pattern, Access access, Group* group,
                 ApiResponse (Group::*handler)(const ApiRequest&)) {
  return Route{method, pattern, access,
               [group, handler](const ApiRequest& r) { return (group->*handler)(r); }};
}

class Router {
 public:
  void add(Route route);
  // `path` as sent, percent-encoded: split on '/' first, then each segment decoded, so that
  // "%2F" stays inside its segment. Throws Poco::SyntaxException on a malformed escape.
  RouteMatch match(const std::string& method, const std::string& path) const;
  // Every route added, in the order added (for checks over all of them, e.g. their access).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool matchPattern(const std::vector<std::string>& pattern,
                           const std::vector<std::string>& path,
                           std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // parallel to routes_
};

// "/a/b/" -> {"a", "b", ""}; the leading '/' is dropped.
std::vector<std::string> splitPath(const std::string& path);

}  // namespace wxb
