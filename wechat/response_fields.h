// Field-by-field validation of platform JSON answers, for the wechat/api_*.cpp parsers. A
// parser reads fields through these helpers, which throw BadField naming the field; the
// parse() wrapper turns that into WechatError{Kind::BadResponse, api} so no exception leaves
// the client. Messages name fields and types only, never values (a value may be a secret).
// The helpers live in wxb::wechat_json so that their short names cannot clash at link time
// with helpers elsewhere in the core library. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechat/wechat_error.h"
#include "wechat/wechat_types.h"

namespace wxb::wechat_json {

class BadField : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Each throws BadField when the field is missing (require*) or has the wrong type or form.
std::string requireString(const nlohmann::json& object, const char* name);
std::optional<std::string> optionalString(const nlohmann::json& object, const char* name);
int64_t requireInt(const nlohmann::json& object, const char* name);
std::optional<int64_t> optionalInt(const nlohmann::json& object, const char* name);
std::string requireOpenid(const nlohmann::json& object, const char* name);
std::optional<std::string> optionalOpenid(const nlohmann::json& object, const char* name);
const nlohmann::json& requireObject(const nlohmann::json& object, const char* name);
// For fields wxbridge only passes along (a follower's remark, language, tags): a missing or
// mistyped value reads as empty / 0, never an error, so platform sloppiness there costs nothing.
std::string lenientString(const nlohmann::json& object, const char* name);
int64_t lenientInt(const nlohmann::json& object, const char* name);
const nlohmann::json& requireArray(const nlohmann::json& object, const char* name);

WechatError badResponse(const std::string& api, const std::string& what);

// JSON text for a request body. Invalid UTF-8 in caller data is replaced, not thrown.
std::string toJsonText(const nlohmann::json& body);

// Runs parser(json) and maps BadField (or any JSON type error) to Kind::BadResponse.
template <typename Parser>
auto parseAnswer(const std::string& api, const WechatResult<nlohmann::json>& raw, Parser parser)
    -> WechatResult<decltype(parser(*raw))> {
  if (!raw) return std::unexpected(raw.error());
  try {
    return parser(*raw);
  } catch (const BadField& e) {
    return std::unexpected(badResponse(api, e.what()));
  } catch (const nlohmann::json::exception& e) {
    return std::unexpected(
        badResponse(api, "unexpected JSON shape (json error " + std::to_string(e.id) + ")"));
  }
}

}  // namespace wxb::wechat_json
