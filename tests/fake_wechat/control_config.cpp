// GET and POST /__fake/config: the settings a test may change while the fake runs (fault
// rates, the IP whitelist, quotas, category templates, the OA's subscribe-notification
// templates), validated as a whole before any apply.
#include <set>

#include "fake_wechat/control_routes.h"
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

struct ConfigChange {
  FaultRates faults;
  std::optional<std::vector<std::string>> allowIps;
  std::map<std::string, int64_t> quotas;  // path -> limit; -1 removes the limit
  std::optional<std::set<std::string>> categories;
  std::optional<std::vector<BizTemplate>> bizTemplates;
};

std::optional<std::string> readRate(const nlohmann::json& body, const char* key, double& rate) {
  auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::nullopt;
  if (!found->is_number() || found->get<double>() < 0 || found->get<double>() > 1) {
    return std::string(key) + " must be a number from 0 to 1";
  }
  rate = found->get<double>();
  return std::nullopt;
}

std::optional<std::string> readFaults(const nlohmann::json& body, FaultRates& faults) {
  for (auto [key, rate] :
       {std::pair{"fail_rate", &faults.failRate}, std::pair{"busy_rate", &faults.busyRate},
        std::pair{"timeout_rate", &faults.timeoutRate},
        std::pair{"dirty_text_rate", &faults.dirtyTextRate}}) {
    if (auto problem = readRate(body, key, *rate)) return problem;
  }
  if (faults.failRate + faults.busyRate + faults.timeoutRate > 1.0) {
    return "fail_rate + busy_rate + timeout_rate must not exceed 1";
  }
  auto latency = body.find("latency_ms");
  if (latency == body.end() || latency->is_null()) return std::nullopt;
  if (!latency->is_number_integer() || latency->get<int64_t>() < 0 ||
      latency->get<int64_t>() > 600000) {
    return "latency_ms must be an integer from 0 to 600000";
  }
  faults.latencyMs = latency->get<int>();
  return std::nullopt;
}

std::optional<std::string> readSurplus(const nlohmann::json& body, FaultRates& faults) {
  auto surplus = body.find("total_surplus");
  if (surplus == body.end() || surplus->is_null()) return std::nullopt;
  if (!surplus->is_number_integer() || surplus->get<int64_t>() < 0 ||
      surplus->get<int64_t>() > 50'000'000) {
    return "total_surplus must be an integer from 0 to 50000000";
  }
  faults.totalSurplus = surplus->get<int64_t>();
  return std::nullopt;
}

// Reads a JSON array of strings into `out`, each passing `valid`.
template <typename Valid>
std::optional<std::string> readStrings(const nlohmann::json& body, const char* key, Valid valid,
                                       std::optional<std::vector<std::string>>& out) {
  auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::nullopt;
  if (!found->is_array()) return std::string(key) + " must be an array of strings";
  out.emplace();
  for (const auto& item : *found) {
    if (!item.is_string() || !valid(item.get<std::string>())) {
      return std::string(key) + " has an invalid entry";
    }
    out->push_back(item.get<std::string>());
  }
  return std::nullopt;
}

std::optional<std::string> readQuotas(const nlohmann::json& body,
                                      std::map<std::string, int64_t>& quotas) {
  auto found = body.find("quota");
  if (found == body.end() || found->is_null()) return std::nullopt;
  if (!found->is_object()) return "quota must be an object {API: limit}";
  for (const auto& [name, limit] : found->items()) {
    auto path = canonicalApiPath(name);
    if (!path) return "quota names an unknown API '" + name + "'";
    if (!limit.is_null() && !limit.is_number_integer()) {
      return "quota." + name + " must be an integer or null";
    }
    quotas[*path] = limit.is_null() ? -1 : std::max<int64_t>(-1, limit.get<int64_t>());
  }
  return std::nullopt;
}

std::optional<std::string> readBizTemplates(const nlohmann::json& body,
                                            std::optional<std::vector<BizTemplate>>& out) {
  auto found = body.find("biz_templates");
  if (found == body.end() || found->is_null()) return std::nullopt;
  if (!found->is_array()) return "biz_templates must be an array";
  out.emplace();
  for (const auto& item : *found) {
    auto entry = parseBizTemplateJson(item);
    if (!entry) {
      return "biz_templates entries must be an id or {\"template_id\", \"long_term\"?, "
             "\"keys\"?}";
    }
    out->push_back(std::move(*entry));
  }
  return std::nullopt;
}

std::variant<ConfigChange, std::string> readChange(const Platform& platform,
                                                   const nlohmann::json& body) {
  ConfigChange change;
  change.faults = platform.faults.rates();
  std::optional<std::vector<std::string>> categories;
  auto anything = [](const std::string& text) { return !text.empty(); };
  auto cidr = [](const std::string& text) { return parseCidr(text).has_value(); };
  for (auto problem :
       {readFaults(body, change.faults), readSurplus(body, change.faults),
        readStrings(body, "allow_ip", cidr, change.allowIps), readQuotas(body, change.quotas),
        readStrings(body, "template_category", anything, categories),
        readBizTemplates(body, change.bizTemplates)}) {
    if (problem) return *problem;
  }
  if (categories) change.categories.emplace(categories->begin(), categories->end());
  return change;
}

Reply showConfig(Platform& platform, const Call&) {
  FaultRates faults = platform.faults.rates();
  auto categories = platform.templates.categoryIds();
  nlohmann::json bizTemplates = nlohmann::json::array();
  for (const auto& entry : platform.bizTemplates.entries()) {
    bizTemplates.push_back(bizTemplateJson(entry));
  }
  return controlJson(
      {{"latency_ms", faults.latencyMs},
       {"fail_rate", faults.failRate},
       {"busy_rate", faults.busyRate},
       {"timeout_rate", faults.timeoutRate},
       {"total_surplus", faults.totalSurplus},
       {"dirty_text_rate", faults.dirtyTextRate},
       {"allow_ip", platform.allowList.cidrs()},
       {"quota", platform.quotas.limits()},
       {"template_category", std::vector<std::string>(categories.begin(), categories.end())},
       {"biz_templates", bizTemplates},
       {"clock_offset", platform.clock.offset()},
       {"page_size", platform.settings.pageSize},
       {"token_ttl", platform.settings.tokenTtl},
       {"oa_appid", platform.settings.oa.appid},
       {"mp_appid", platform.settings.mp.appid}});
}

Reply changeConfig(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  auto change = readChange(platform, std::get<0>(body));
  if (auto* problem = std::get_if<std::string>(&change)) return controlError(400, *problem);
  ConfigChange& accepted = std::get<0>(change);
  platform.faults.setRates(accepted.faults);
  if (accepted.allowIps) platform.allowList.replace(*accepted.allowIps);
  for (const auto& [path, limit] : accepted.quotas) platform.quotas.setLimit(path, limit);
  if (accepted.categories) platform.templates.replace(std::move(*accepted.categories));
  if (accepted.bizTemplates) platform.bizTemplates.replace(*accepted.bizTemplates);
  return showConfig(platform, call);
}

}  // namespace

std::vector<ControlRoute> configRoutes() {
  return {
      {"GET", "/__fake/config", showConfig},
      {"POST", "/__fake/config", changeConfig},
  };
}

}  // namespace wxb::fake
