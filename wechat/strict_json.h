// Strict decoding of JSON from outside: the /v1 request bodies (parseJsonObject,
// bridge/http/api_types.h) and the JSON event pushes (parsePushJson, wechat/callback/). nlohmann
// keeps one value of a name given twice in one object, silently; another reader of the same
// bytes (a proxy, a WAF, a log reader) may keep the other. So that wxbridge never acts on a
// different request than the one they see, a repeated name is refused, at any depth. The
// parser and the destructor of nlohmann/json are iterative: deep nesting cannot exhaust the
// stack. Pure function; thread-safe.
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace wxb {

// Why parseJsonNoRepeats() refused a text.
struct JsonRefusal {
  std::string repeatedName;  // the first name given twice in one object; empty: not JSON
};

// The JSON value of `text` (UTF-8, RFC 8259), or the refusal: not JSON at all (malformed,
// invalid UTF-8, trailing bytes), or valid JSON in which one object names a member twice.
std::expected<nlohmann::json, JsonRefusal> parseJsonNoRepeats(std::string_view text);

// A name taken from outside JSON (e.g. JsonRefusal::repeatedName) as a refusal message (logged,
// answered) shows it: JSON-quoted with every control and non-ASCII character escaped, its first
// 64 UTF-8 characters only, "..." after a cut - so it can neither forge nor flood a log line.
std::string shownJsonName(const std::string& name);

}  // namespace wxb
