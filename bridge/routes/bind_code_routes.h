// BindCodeRoutes: POST /v1/bind-codes {"mp_openid"} - a single-use bind code for one
// mini-program user, as a temporary parametric QR code (bridge/callback/bind_codes.h): 201
// {"scene","ticket","qr_image_url","url","expires_at"}. API key. Without wechat.oa.appid (no
// platform client for the OA) it answers 404 app_not_configured. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "store/accounts/accounts.h"
#include "store/callback/callback_store.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct BindCodeSettings {
  int64_t ttlSeconds = 600;                            // bind.code_ttl_seconds
  std::string imageBase = "https://mp.weixin.qq.com";  // bind.qr_image_base
};

class BindCodeRoutes {
 public:
  // `platform` null: the OA is not configured.
  BindCodeRoutes(CallbackStore& store, Accounts& accounts, WechatClient* platform,
                 const Clock& clock, BindCodeSettings settings)
      : store_(store),
        accounts_(accounts),
        platform_(platform),
        clock_(clock),
        settings_(std::move(settings)) {}

  void addTo(Router& router);
  ApiResponse createBindCode(const ApiRequest& request);

 private:
  CallbackStore& store_;
  Accounts& accounts_;
  WechatClient* platform_;
  const Clock& clock_;
  const BindCodeSettings settings_;
};

}  // namespace wxb
