// /v1/accounts and /v1/mp/sessions: which OA openid is this unionid, and do they follow.
#include <set>

#include "bridge/routes/account_json.h"
#include "bridge/routes/routes.h"

namespace wxb {

namespace {

constexpr size_t kMaxLookup = 1000;
constexpr size_t kMaxCodeChars = 128;
const char* kIdRule = "must be 1-64 characters of A-Z a-z 0-9 _ -";

bool isValidCode(const std::string& code) {
  if (code.empty() || code.size() > kMaxCodeChars) return false;
  for (char c : code) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

nlohmann::json sessionJson(const MpSession& session, const std::optional<Account>& account) {
  auto orNull = [](const std::string& s) {
    return s.empty() ? nlohmann::json() : nlohmann::json(s);
  };
  return {{"mp_openid", session.openid},
          {"unionid", orNull(session.unionid.value_or(""))},
          {"oa_openid", orNull(account ? account->oaOpenid : "")},
          {"subscribed", account && account->subscribed}};
}

}  // namespace

ApiResponse getAccount(RouteContext& ctx, const ApiRequest& request) {
  const std::string& unionid = request.params.at("unionid");
  if (!isValidWechatId(unionid)) return invalidField("unionid", kIdRule);
  auto account = ctx.services.lookups->findByUnionid(unionid);
  if (!account) return apiError(404, "not_found", "unionid: no account has this unionid");
  return apiJson(200, accountJson(*account));
}

ApiResponse lookupAccounts(RouteContext& ctx, const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  if (!body.contains("unionids") || !body["unionids"].is_array()) {
    return invalidField("unionids", "must be an array of unionids");
  }
  const auto& ids = body["unionids"];
  if (ids.size() > kMaxLookup) return invalidField("unionids", "at most 1000 per request");
  std::vector<std::string> wanted;
  std::set<std::string> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_string() || !isValidWechatId(ids[i].get_ref<const std::string&>())) {
      return invalidField("unionids[" + std::to_string(i) + "]", kIdRule);
    }
    if (seen.insert(ids[i]).second) wanted.push_back(ids[i]);
  }
  nlohmann::json found = nlohmann::json::array(), missing = nlohmann::json::array();
  std::set<std::string> known;
  for (const auto& account : ctx.services.store->accounts().findByUnionids(wanted)) {
    known.insert(account.unionid);
    found.push_back(accountJson(account));
  }
  for (const auto& id : wanted) {
    if (!known.count(id)) missing.push_back(id);
  }
  return apiJson(200, {{"found", found}, {"missing", missing}});
}

ApiResponse createMpSession(RouteContext& ctx, const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  if (!body.contains("code") || !body["code"].is_string() || !isValidCode(body["code"])) {
    return invalidField("code",
                        "must be the login code from wx.login (1-128 printable characters)");
  }
  if (requireApp(ctx.services.settings, App::Mp)) {
    return apiError(404, "app_not_configured", "wechat.mp.appid is not configured");
  }
  auto session = ctx.services.platform->jscode2session(body["code"]);
  if (!session) {
    int errcode = session.error().errcode;
    if (errcode == 40029 || errcode == 40163) {
      return invalidField(
          "code", "invalid, expired or already used (errcode " + std::to_string(errcode) + ")");
    }
    if (errcode == 40226) return apiError(403, "high_risk_user", session.error().describe());
    return upstreamError(session.error());
  }
  const std::string unionid = session->unionid.value_or("");
  ctx.services.store->accounts().recordMpUser(session->openid, unionid);
  std::optional<Account> account;
  if (!unionid.empty()) account = ctx.services.store->accounts().findByUnionid(unionid);
  return apiJson(200, sessionJson(*session, account));
}

}  // namespace wxb
