#include "bridge/routes/schedule_routes.h"

#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "bridge/routes/responses.h"
#include "bridge/routes/schedule_json.h"
#include "cron/iso_time.h"
#include "notify/schedules/schedule_changes.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

constexpr int64_t kDefaultPage = 50;
constexpr int64_t kMaxPage = 200;
// The members of a POST or PATCH body (docs/api.md; a PATCH of unionid is refused by name).
const std::initializer_list<std::string_view> kMembers = {
    "unionid", "cron",      "at",      "timezone",  "template", "params",
    "channel", "starts_at", "ends_at", "max_fires", "paused"};

// `text` as a whole decimal number in [min, max], or nullopt.
std::optional<int64_t> parseNumber(const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> parseId(const std::string& text) { return parseNumber(text, 1, INT64_MAX); }

ApiResponse notFound() { return apiError(404, "not_found", "id: no schedule has this id"); }

// The query member `name` as a number in [min, max], `fallback` when absent.
std::variant<int64_t, ApiResponse> queryNumber(const ApiRequest& r, const std::string& name,
                                               int64_t fallback, int64_t min, int64_t max) {
  auto found = r.query.find(name);
  if (found == r.query.end()) return fallback;
  auto value = parseNumber(found->second, min, max);
  if (!value) {
    return invalidField(
        name, "must be a whole number " + std::to_string(min) + "-" + std::to_string(max));
  }
  return *value;
}

}  // namespace

void ScheduleRoutes::addTo(Router& router) {
  router.add(groupRoute("POST", "/v1/schedules", Access::ApiKey, this, &ScheduleRoutes::create));
  router.add(groupRoute("GET", "/v1/schedules", Access::ApiKey, this, &ScheduleRoutes::list));
  router.add(groupRoute("GET", "/v1/schedules/{id}", Access::ApiKey, this, &ScheduleRoutes::get));
  router.add(
      groupRoute("PATCH", "/v1/schedules/{id}", Access::ApiKey, this, &ScheduleRoutes::patch));
  router.add(
      groupRoute("DELETE", "/v1/schedules/{id}", Access::ApiKey, this, &ScheduleRoutes::remove));
}

ApiResponse ScheduleRoutes::create(const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body, kMembers);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto draft = parseNewSchedule(std::get<nlohmann::json>(parsed));
  if (auto* error = std::get_if<ApiResponse>(&draft)) return *error;
  auto schedule = newSchedule(std::get<Schedule>(draft), rules_, clock_.nowMs());
  if (!schedule) return invalidField(schedule.error().field, schedule.error().problem);
  auto stored = schedules_.create(*schedule, rules_.settings.maxPerUser);
  if (!stored) {
    auto problem = checkScheduleCount(rules_.settings.maxPerUser, rules_.settings);
    return invalidField(problem->field, problem->problem);
  }
  wakeEngine_();
  return apiJson(201,
                 {{"id", stored->id}, {"next_fire_at", scheduleJson(*stored)["next_fire_at"]}});
}

ApiResponse ScheduleRoutes::get(const ApiRequest& request) {
  auto id = parseId(request.params.at("id"));
  if (!id) return notFound();
  auto schedule = schedules_.find(*id);
  if (!schedule) return notFound();
  return apiJson(200, scheduleJson(*schedule));
}

ApiResponse ScheduleRoutes::list(const ApiRequest& request) {
  if (auto name = repeatedQueryName(request.rawQuery)) {
    return invalidField(*name, "given more than once");
  }
  auto unionid = request.query.find("unionid");
  if (unionid == request.query.end()) return invalidField("unionid", "is required");
  if (!isValidWechatId(unionid->second)) return invalidId("unionid");
  auto after = queryNumber(request, "after", 0, 0, INT64_MAX);
  if (auto* error = std::get_if<ApiResponse>(&after)) return *error;
  auto limit = queryNumber(request, "limit", kDefaultPage, 1, kMaxPage);
  if (auto* error = std::get_if<ApiResponse>(&limit)) return *error;
  // One row more than the page: next_after is null exactly when this page is the last.
  const auto size = static_cast<size_t>(std::get<int64_t>(limit));
  auto page = schedules_.listByUnionid(unionid->second, std::get<int64_t>(after),
                                       static_cast<int>(size) + 1);
  const bool more = page.size() > size;
  if (more) page.resize(size);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : page) items.push_back(scheduleJson(s));
  return apiJson(200, {{"schedules", items},
                       {"next_after", more ? nlohmann::json(page.back().id) : nlohmann::json()}});
}

ApiResponse ScheduleRoutes::patch(const ApiRequest& request) {
  auto id = parseId(request.params.at("id"));
  if (!id) return notFound();
  auto parsed = parseJsonObject(request.body, kMembers);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto change = parseSchedulePatch(std::get<nlohmann::json>(parsed));
  if (auto* error = std::get_if<ApiResponse>(&change)) return *error;
  std::optional<FieldProblem> problem;
  std::optional<Schedule> changed;
  auto outcome = schedules_.update(*id, [&](const Schedule& current) {
    auto result = patchSchedule(current, std::get<SchedulePatch>(change), rules_, clock_.nowMs());
    problem = result ? std::nullopt : std::optional(result.error());
    changed = result ? std::optional(*result) : std::nullopt;
    return changed;
  });
  if (outcome == ScheduleUpdate::NotFound) return notFound();
  if (outcome == ScheduleUpdate::Refused) return invalidField(problem->field, problem->problem);
  changed->id = *id;
  wakeEngine_();
  return apiJson(200, scheduleJson(*changed));
}

ApiResponse ScheduleRoutes::remove(const ApiRequest& request) {
  auto id = parseId(request.params.at("id"));
  if (!id || !schedules_.remove(*id)) return notFound();
  return apiJson(200, {{"id", *id}, {"deleted", true}});
}

}  // namespace wxb
