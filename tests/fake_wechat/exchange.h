// The fake's own request and response values, free of Poco types, so route code is plain
// functions from a Call to a Reply (server.cpp adapts them to Poco's HTTP classes).
//
// Platform answers are HTTP 200 JSON: success bodies as the platform shapes them, errors
// {"errcode":N,"errmsg":"..."}. Control answers are JSON or NDJSON, errors
// {"error":"message"} with an HTTP 4xx status. Thread-safety: plain values and pure functions.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wxb::fake {

struct Call {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  std::string body;
  std::string peerIp;

  // The first query parameter called `name`, or nullptr.
  const std::string* param(std::string_view name) const;
};

struct Reply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::optional<int> errcode;  // the platform errcode answered (stats); nullopt for none
  bool drop = false;           // close the connection without answering
  std::function<void(std::ostream&)> stream;  // when set, writes the body instead of `body`
};

// A platform success body; its errcode (0 when absent) is what stats record.
Reply platformOk(const nlohmann::json& body);

// {"errcode":N,"errmsg":...} with the platform's usual message for N.
Reply platformError(int errcode);
Reply platformError(int errcode, std::string errmsg);

// errcode 47003 naming what is wrong: "argument invalid! <detail>".
Reply argumentInvalid(std::string_view detail);

Reply controlJson(const nlohmann::json& body, int status = 200);
Reply controlError(int status, std::string_view message);
Reply ndjson(std::function<void(std::ostream&)> writer);

// Compact JSON text; invalid UTF-8 is replaced rather than thrown on.
std::string dumpJson(const nlohmann::json& value);

// The body parsed as a JSON object, or nullopt (malformed JSON or not an object).
std::optional<nlohmann::json> parseObject(const std::string& body);

// The string member `key` of `object`, or nullopt when absent or not a string.
std::optional<std::string> stringMember(const nlohmann::json& object, const char* key);

}  // namespace wxb::fake
