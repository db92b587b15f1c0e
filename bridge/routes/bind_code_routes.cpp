#include "bridge/routes/bind_code_routes.h"

#include "bridge/callback/bind_codes.h"
#include "bridge/routes/responses.h"
#include "cron/iso_time.h"
#include "wechat/wechat_types.h"

namespace wxb {

void BindCodeRoutes::addTo(Router& router) {
  router.add(
      groupRoute("POST", "/v1/bind-codes", Access::ApiKey, this, &BindCodeRoutes::createBindCode));
}

ApiResponse BindCodeRoutes::createBindCode(const ApiRequest& request) {
  if (!platform_) return appNotConfigured("wechat.oa.appid");
  auto parsed = parseJsonObject(request.body, {"mp_openid"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  auto found = body.find("mp_openid");
  if (found == body.end() || !found->is_string() || !isValidWechatId(found->get<std::string>())) {
    return invalidId("mp_openid");
  }
  auto code = issueBindCode(store_, accounts_, *platform_, found->get<std::string>(),
                            settings_.ttlSeconds, clock_.nowMs(), settings_.imageBase);
  if (!code) return upstreamError(code.error());
  return apiJson(201, {{"scene", code->scene},
                       {"ticket", code->ticket},
                       {"qr_image_url", code->imageUrl},
                       {"url", code->url},
                       {"expires_at", formatIsoUtc(code->expiresAtMs)}});
}

}  // namespace wxb
