// The plain request and response values that route handlers take and return. Handlers know no
// Poco HTTP types (STYLE.md: thin adapters over domain code), so they can be tested without a
// server. apiError() is the one way an error body is made: {"error":{"code","message"}}.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

namespace wxb {

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. unionid
  std::string body;
  std::string clientIp;
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

// Parses a JSON object body; on failure the response to send (400 naming the problem).
std::variant<nlohmann::json, ApiResponse> parseJsonObject(const std::string& body);

}  // namespace wxb
