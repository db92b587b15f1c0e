// The JSON of the /v1/schedules routes: a request body as a Schedule (POST) or a SchedulePatch
// (PATCH), and a stored Schedule as the API shows it. Parsing checks shapes only (types, known
// members, ISO 8601 times with an offset, a valid unionid); what the values mean is checked by
// checkSchedule() (notify/schedules/schedule_check.h). docs/schedules.md lists the members.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <variant>

#include "bridge/http/api_types.h"
#include "notify/schedules/schedule.h"
#include "notify/schedules/schedule_changes.h"

namespace wxb {

// The schedule a POST body asks for, or the 400 naming the member at fault. `body` has only
// known members (parseJsonObject); a null member is the same as one left out.
std::variant<Schedule, ApiResponse> parseNewSchedule(const nlohmann::json& body);

// The change a PATCH body asks for; null removes starts_at, ends_at or max_fires, and returns
// channel to the template's own; null for any other member is 400 naming it. unionid cannot be
// changed (400 naming it). An empty object is a valid patch that changes nothing.
std::variant<SchedulePatch, ApiResponse> parseSchedulePatch(const nlohmann::json& body);

// Every field of `schedule`: times as UTC ISO 8601 (formatIsoUtc), absent ones null.
nlohmann::json scheduleJson(const Schedule& schedule);

}  // namespace wxb
