// Helpers shared by the control routes (/__fake/...): body parsing and field checks that
// answer HTTP 400 {"error":"..."} naming the field. Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "fake_wechat/exchange.h"

namespace wxb::fake {

// The body as a JSON object ({} for an empty body), or the 400 reply.
std::variant<nlohmann::json, Reply> controlBody(const Call& call);

// The string member `key`: nullopt when absent or null; a 400 reply when of another type.
std::variant<std::optional<std::string>, Reply> controlString(const nlohmann::json& body,
                                                              const char* key);

// The integer member `key`, `fallback` when absent or null; a 400 reply when not an integer.
std::variant<int64_t, Reply> controlInteger(const nlohmann::json& body, const char* key,
                                            int64_t fallback);

// The boolean member `key`, `fallback` when absent or null; a 400 reply when not a boolean.
std::variant<bool, Reply> controlBool(const nlohmann::json& body, const char* key, bool fallback);

}  // namespace wxb::fake
