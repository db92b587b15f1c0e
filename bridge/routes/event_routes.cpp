#include "bridge/routes/event_routes.h"

#include "bridge/routes/responses.h"
#include "notify/messages.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

// body[key] as a string: "" when absent; nullopt when present but not a string.
std::optional<std::string> optionalText(const nlohmann::json& body, const char* key) {
  auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::string();
  if (!found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

std::variant<NotifyEvent, ApiResponse> parseEvent(const nlohmann::json& body, int64_t nowMs,
                                                  const std::set<std::string>& knownTypes) {
  NotifyEvent e;
  e.createdAtMs = nowMs;
  const char* keys[] = {"event_id", "unionid", "type", "actor", "text"};
  std::string* fields[] = {&e.eventId, &e.unionid, &e.type, &e.actor, &e.text};
  for (size_t i = 0; i < 5; ++i) {
    auto value = optionalText(body, keys[i]);
    if (!value) return invalidField(keys[i], "must be a string");
    *fields[i] = std::move(*value);
  }
  if (!isValidWechatId(e.unionid)) return invalidId("unionid");
  if (auto problem = checkEvent(e)) return invalidField(problem->field, problem->problem);
  if (auto problem = checkKnownType("type", e.type, knownTypes)) {
    return invalidField(problem->field, problem->problem);
  }
  return e;
}

// The types to mark read, each by the rule of every door that names a type (checkKnownType).
std::variant<std::vector<std::string>, ApiResponse> parseTypes(
    const nlohmann::json& body, const std::set<std::string>& knownTypes) {
  std::vector<std::string> types;
  auto found = body.find("types");
  if (found == body.end() || found->is_null()) return types;
  if (!found->is_array() || found->size() > 100) {
    return invalidField("types", "must be an array of at most 100 event types (empty: all)");
  }
  for (size_t i = 0; i < found->size(); ++i) {
    const auto& t = (*found)[i];
    const std::string field = "types[" + std::to_string(i) + "]";
    if (!t.is_string()) return invalidField(field, "must be a string (an event type)");
    if (auto problem = checkKnownType(field, t.get<std::string>(), knownTypes)) {
      return invalidField(problem->field, problem->problem);
    }
    types.push_back(t.get<std::string>());
  }
  return types;
}

}  // namespace

void EventRoutes::addTo(Router& router) {
  router.add(groupRoute("POST", "/v1/events", Access::ApiKey, this, &EventRoutes::recordEvent));
  router.add(
      groupRoute("POST", "/v1/events:read", Access::ApiKey, this, &EventRoutes::markEventsRead));
}

ApiResponse EventRoutes::recordEvent(const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body, {"event_id", "unionid", "type", "actor", "text"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto event = parseEvent(std::get<nlohmann::json>(parsed), clock_.nowMs(), knownTypes_);
  if (auto* error = std::get_if<ApiResponse>(&event)) return *error;
  const NotifyEvent& e = std::get<NotifyEvent>(event);
  const bool realtime = realtime_.isRealtime(e.type);
  const bool stored = realtime ? notices_.addHeldEvent(e) : notifications_.addEvent(e);
  if (stored && realtime && onHeld_) onHeld_();
  return apiJson(stored ? 202 : 200, {{"event_id", e.eventId}, {"duplicate", !stored}});
}

ApiResponse EventRoutes::markEventsRead(const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body, {"unionid", "types"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  auto unionid = optionalText(body, "unionid");
  if (!unionid || !isValidWechatId(*unionid)) return invalidId("unionid");
  auto types = parseTypes(body, knownTypes_);
  if (auto* error = std::get_if<ApiResponse>(&types)) return *error;
  int64_t marked =
      notifications_.markRead(*unionid, std::get<std::vector<std::string>>(types), clock_.nowMs());
  return apiJson(200, {{"unionid", *unionid}, {"marked_read", marked}});
}

}  // namespace wxb
