// callRoute: a request to a route group's handler the way HttpServer makes it - the route the
// Router matches, its path parameters, the raw and parsed query - without a server, for
// handler-level tests. Access checks (allowlist, API key) are the server's and not applied.
// Thread-safe as the handlers are.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bridge/http/router.h"

namespace wxb::test {

// Calls the handler of `method` `target` ("/path" or "/path?query") with `body`; fails the
// calling test when no route matches.
ApiResponse callRoute(const Router& router, const std::string& method, const std::string& target,
                      const std::string& body = "");

// The response body as JSON.
nlohmann::json bodyOf(const ApiResponse& response);

// error.code of an error response ("" when it has none).
std::string errorCodeOf(const ApiResponse& response);

}  // namespace wxb::test
