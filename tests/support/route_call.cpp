#include "support/route_call.h"

#include <boost/test/unit_test.hpp>

namespace wxb::test {

ApiResponse callRoute(const Router& router, const std::string& method, const std::string& target,
                      const std::string& body) {
  const size_t question = target.find('?');
  const std::string path = target.substr(0, question);
  const std::string rawQuery = question == std::string::npos ? "" : target.substr(question + 1);
  RouteMatch match = router.match(method, path);
  BOOST_REQUIRE_MESSAGE(match.route, "no route for " << method << " " << path);
  ApiRequest request{method,      path,     std::move(match.params), body,
                     "127.0.0.1", rawQuery, parseQuery(rawQuery)};
  return match.route->handler(request);
}

nlohmann::json bodyOf(const ApiResponse& response) { return nlohmann::json::parse(response.body); }

std::string errorCodeOf(const ApiResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("code", "");
}

}  // namespace wxb::test
