#include "bridge/routes/preference_routes.h"

#include "bridge/routes/responses.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

// body[key] unless absent or null.
const nlohmann::json* present(const nlohmann::json& body, const char* key) {
  auto found = body.find(key);
  return found == body.end() || found->is_null() ? nullptr : &*found;
}

std::optional<ApiResponse> readText(const nlohmann::json& body, const char* key,
                                    std::optional<std::string>& out) {
  const nlohmann::json* value = present(body, key);
  if (!value) return std::nullopt;
  if (!value->is_string()) return invalidField(key, "must be a string or null");
  out = value->get<std::string>();
  return std::nullopt;
}

std::optional<ApiResponse> readMuted(const nlohmann::json& body, Preferences& p) {
  const nlohmann::json* value = present(body, "muted_types");
  if (!value) return std::nullopt;
  if (!value->is_array()) return invalidField("muted_types", "must be an array of event types");
  p.mutedTypes.emplace();
  for (size_t i = 0; i < value->size(); ++i) {
    if (!(*value)[i].is_string()) {
      return invalidField("muted_types[" + std::to_string(i) + "]", "must be a string");
    }
    p.mutedTypes->push_back((*value)[i].get<std::string>());
  }
  return std::nullopt;
}

// The body as Preferences (shapes only; checkPreferences() judges the values).
std::variant<Preferences, ApiResponse> parsePreferences(const nlohmann::json& body) {
  Preferences p;
  if (auto error = readText(body, "timezone", p.timezone)) return *error;
  if (auto error = readText(body, "quiet_hours", p.quietHours)) return *error;
  if (auto error = readMuted(body, p)) return *error;
  if (const nlohmann::json* digest = present(body, "digest")) {
    if (!digest->is_boolean()) return invalidField("digest", "must be true, false or null");
    p.digest = digest->get<bool>();
  }
  return p;
}

template <typename T>
nlohmann::json orNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

}  // namespace

void PreferenceRoutes::addTo(Router& router) {
  router.add(groupRoute("PUT", "/v1/accounts/{unionid}/preferences", Access::ApiKey, this,
                        &PreferenceRoutes::putPreferences));
  router.add(groupRoute("GET", "/v1/accounts/{unionid}/preferences", Access::ApiKey, this,
                        &PreferenceRoutes::getPreferences));
}

ApiResponse PreferenceRoutes::putPreferences(const ApiRequest& request) {
  const std::string& unionid = request.params.at("unionid");
  if (!isValidWechatId(unionid)) return invalidId("unionid");
  auto parsed = parseJsonObject(request.body, {"timezone", "quiet_hours", "muted_types", "digest"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto prefs = parsePreferences(std::get<nlohmann::json>(parsed));
  if (auto* error = std::get_if<ApiResponse>(&prefs)) return *error;
  const Preferences& p = std::get<Preferences>(prefs);
  if (auto problem = checkPreferences(p, knownTypes_)) {
    return invalidField(problem->field, problem->problem);
  }
  // What the old preferences held is re-filed under the new ones: a direct message quiet hours
  // hold falls due at the end of the new quiet hours, or now.
  const int64_t now = clock_.nowMs();
  const NoticePrefs in = resolvePreferences(p, defaults_);
  notices_.setPreferences(unionid, p, now, deliverableAt(in.quietHours, in.zone, false, now));
  return answer(unionid, p);
}

ApiResponse PreferenceRoutes::getPreferences(const ApiRequest& request) {
  const std::string& unionid = request.params.at("unionid");
  if (!isValidWechatId(unionid)) return invalidId("unionid");
  return answer(unionid, notices_.preferences(unionid).value_or(Preferences{}));
}

ApiResponse PreferenceRoutes::answer(const std::string& unionid, const Preferences& p) const {
  const NoticePrefs in = resolvePreferences(p, defaults_);
  nlohmann::json effective = {{"timezone", in.timezone},
                              {"quiet_hours", formatQuietHours(in.quietHours)},
                              {"muted_types", in.mutedTypes},
                              {"digest", in.digest}};
  return apiJson(200, {{"unionid", unionid},
                       {"timezone", orNull(p.timezone)},
                       {"quiet_hours", orNull(p.quietHours)},
                       {"muted_types", orNull(p.mutedTypes)},
                       {"digest", orNull(p.digest)},
                       {"effective", effective}});
}

}  // namespace wxb
