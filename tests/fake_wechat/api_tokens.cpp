// GET /cgi-bin/token and POST /cgi-bin/stable_token: credentials, quota, then TokenService.
#include <variant>

#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

const std::string kClassicPath = "/cgi-bin/token";
const std::string kStablePath = "/cgi-bin/stable_token";

struct Credentials {
  std::optional<std::string> grantType;
  std::optional<std::string> appid;
  std::optional<std::string> secret;
};

// The app the credentials name, or the errcode refusing them.
std::variant<App, int> checkCredentials(const Platform& platform, const Credentials& given) {
  if (!given.grantType || *given.grantType != "client_credential") return 40002;
  if (!given.appid || given.appid->empty()) return 41002;
  if (!given.secret || given.secret->empty()) return 41004;
  auto app = platform.appById(*given.appid);
  if (!app) return 40013;
  if (*given.secret != platform.credentials(*app).secret) return 40125;
  return *app;
}

std::optional<std::string> queryValue(const Call& call, std::string_view name) {
  const std::string* value = call.param(name);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

Reply tokenReply(Platform& platform, App app, const IssuedToken& token) {
  if (token.fresh) platform.stats.recordTokenIssued(app);
  return platformOk({{"access_token", token.value}, {"expires_in", token.expiresIn}});
}

Reply classicToken(Platform& platform, const ApiRequest& request) {
  const Call& call = request.call;
  auto checked = checkCredentials(
      platform,
      {queryValue(call, "grant_type"), queryValue(call, "appid"), queryValue(call, "secret")});
  if (const int* code = std::get_if<int>(&checked)) return platformError(*code);
  App app = std::get<App>(checked);
  if (!platform.quotas.consume(app, kClassicPath)) return platformError(45009);
  return tokenReply(platform, app, platform.tokens.fetchClassic(app));
}

Reply forceRefused(ForceRefused why, const Options& settings) {
  if (why == ForceRefused::kTooSoon) {
    return platformError(45011,
                         "api minute-quota reach limit mustslower retry next minute: "
                         "force_refresh needs " +
                             std::to_string(settings.forceRefreshInterval) + "s between calls");
  }
  return platformError(45011, "api freq out of limit: force_refresh allowed " +
                                  std::to_string(settings.forceRefreshDaily) + " times a day");
}

Reply stableToken(Platform& platform, const ApiRequest& request) {
  if (request.call.body.empty()) return platformError(44002);
  auto body = parseObject(request.call.body);
  if (!body) return platformError(47001);
  auto force = body->find("force_refresh");
  if (force != body->end() && !force->is_boolean() && !force->is_null()) {
    return platformError(47001);
  }
  auto checked =
      checkCredentials(platform, {stringMember(*body, "grant_type"), stringMember(*body, "appid"),
                                  stringMember(*body, "secret")});
  if (const int* code = std::get_if<int>(&checked)) return platformError(*code);
  App app = std::get<App>(checked);
  if (!platform.quotas.consume(app, kStablePath)) return platformError(45009);
  bool forceRefresh = force != body->end() && force->is_boolean() && force->get<bool>();
  auto result = platform.tokens.fetchStable(app, forceRefresh);
  if (const auto* refused = std::get_if<ForceRefused>(&result)) {
    return forceRefused(*refused, platform.settings);
  }
  return tokenReply(platform, app, std::get<IssuedToken>(result));
}

}  // namespace

std::vector<ApiRoute> tokenRoutes() {
  return {
      {kClassicPath, Auth::kNone, classicToken},
      {kStablePath, Auth::kNone, stableToken},
  };
}

}  // namespace wxb::fake
