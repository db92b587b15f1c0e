// The plain request and response values that route handlers take and return. Handlers know no
// Poco HTTP types (STYLE.md: thin adapters over domain code), so they can be tested without a
// server. apiError() is the one way an error body is made: {"error":{"code","message"}}.
#pragma once

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace wxb {

// Query parameters by name, decoded ('+' and %XX); a repeated name keeps its first value.
using QueryParams = std::map<std::string, std::string>;

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. unionid
  std::string body;
  std::string clientIp;
  std::string rawQuery;  // after the '?', exactly as received (e.g. for a signature over it)
  QueryParams query;     // rawQuery parsed by parseQuery()
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  std::map<std::string, std::string> headers;
};

ApiResponse apiJson(int status, const nlohmann::json& body);
// `code` is stable for machines (e.g. "invalid_field"); `message` is for people and names the
// offending field when there is one.
ApiResponse apiError(int status, const std::string& code, const std::string& message);

// The one reader of /v1 request bodies (docs/api.md "Request bodies"): `body` must be a JSON
// object (UTF-8) that names no member twice, at any depth, and whose members are all among
// `members` (the route's own; null counts as given). On failure the response to send: 400
// invalid_json (not JSON, not an object, a name given twice in one object) or 400 invalid_field
// naming the first unknown member and listing `members`.
std::variant<nlohmann::json, ApiResponse> parseJsonObject(
    const std::string& body, std::initializer_list<std::string_view> members);

// Parses "a=1&b=x%20y&c" into {a:1, b:"x y", c:""}. A pair whose name or value is not valid
// percent-encoding is left out, so a handler that needs it finds it missing and answers 400.
QueryParams parseQuery(std::string_view rawQuery);
// The first name rawQuery gives more than once (decoded), if any. parseQuery() keeps the first
// value; a route whose answer depends on its parameters refuses the ambiguity naming the name.
std::optional<std::string> repeatedQueryName(std::string_view rawQuery);

}  // namespace wxb
