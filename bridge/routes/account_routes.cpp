#include "bridge/routes/account_routes.h"

#include "bridge/routes/account_json.h"
#include "bridge/routes/responses.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

constexpr size_t kMaxLookup = 1000;

// The "unionids" array of a lookup body, each a valid unionid; else the 400 naming the entry.
std::variant<std::vector<std::string>, ApiResponse> parseUnionids(const nlohmann::json& body) {
  if (!body.contains("unionids") || !body["unionids"].is_array()) {
    return invalidField("unionids", "must be an array of unionids");
  }
  const auto& ids = body["unionids"];
  if (ids.size() > kMaxLookup) return invalidField("unionids", "at most 1000 per request");
  std::vector<std::string> unionids;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_string() || !isValidWechatId(ids[i].get_ref<const std::string&>())) {
      return invalidId("unionids[" + std::to_string(i) + "]");
    }
    unionids.push_back(ids[i]);
  }
  return unionids;
}

}  // namespace

void AccountRoutes::addTo(Router& router) {
  router.add(groupRoute("GET", "/v1/accounts/{unionid}", Access::ApiKey, this,
                        &AccountRoutes::getAccount));
  router.add(groupRoute("POST", "/v1/accounts:lookup", Access::ApiKey, this,
                        &AccountRoutes::lookupAccounts));
}

ApiResponse AccountRoutes::getAccount(const ApiRequest& request) {
  const std::string& unionid = request.params.at("unionid");
  if (!isValidWechatId(unionid)) return invalidId("unionid");
  auto account = lookup_.find(unionid);
  if (!account) return apiError(404, "not_found", "unionid: no account has this unionid");
  return apiJson(200, accountJson(*account));
}

ApiResponse AccountRoutes::lookupAccounts(const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body, {"unionids"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto unionids = parseUnionids(std::get<nlohmann::json>(parsed));
  if (auto* error = std::get_if<ApiResponse>(&unionids)) return *error;
  AccountMatches matches = lookup_.findAll(std::get<std::vector<std::string>>(unionids));
  nlohmann::json found = nlohmann::json::array();
  for (const auto& account : matches.found) found.push_back(accountJson(account));
  return apiJson(200, {{"found", found}, {"missing", matches.missing}});
}

}  // namespace wxb
