// The "params" member of a request body - the {{params.NAME}} values of a template - as
// POST /v1/messages and the /v1/schedules routes take it: an object of at most 50 members named
// 1-32 of A-Z a-z 0-9 _, each a string (numbers are refused, since their JSON text is not
// kept). Absent or null: no params. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <variant>

#include "bridge/http/api_types.h"
#include "notify/template_render.h"

namespace wxb {

// The params of `body`, or the 400 answer naming the member ("params", "params.NAME").
std::variant<MessageParams, ApiResponse> parseMessageParams(const nlohmann::json& body);

}  // namespace wxb
