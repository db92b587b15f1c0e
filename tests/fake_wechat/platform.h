// Everything the fake platform knows, built once from the parsed Options and handed by
// reference to every route (no globals). Each member guards itself; see its header for its
// thread-safety. `settings` is read-only after construction.
#pragma once

#include <atomic>

#include "fake_wechat/biz_templates.h"
#include "fake_wechat/deliveries.h"
#include "fake_wechat/fake_clock.h"
#include "fake_wechat/faults.h"
#include "fake_wechat/ip_allowlist.h"
#include "fake_wechat/mini_program.h"
#include "fake_wechat/options.h"
#include "fake_wechat/population.h"
#include "fake_wechat/qr_codes.h"
#include "fake_wechat/quotas.h"
#include "fake_wechat/stats.h"
#include "fake_wechat/subscribe_grants.h"
#include "fake_wechat/template_catalog.h"
#include "fake_wechat/tokens.h"

namespace wxb::fake {

struct Platform {
  explicit Platform(const Options& options)
      : settings(options),
        population(options.followers, options.unionidRatio, options.seed, clock),
        tokens(TokenSettings{options.tokenTtl, options.tokenOverlap, options.stableRenewWindow,
                             options.forceRefreshInterval, options.forceRefreshDaily},
               clock),
        quotas(options.quotas, clock),
        faults(options.faults, options.seed, options.timeoutHoldMs),
        allowList(options.allowIps),
        deliveries(clock),
        miniProgram(options.seed, clock),
        templates(options.categoryTemplates),
        bizTemplates(options.bizTemplates),
        qrCodes(clock) {}

  // The app whose appid is `appid`, or nullopt.
  std::optional<App> appById(std::string_view appid) const {
    if (appid == settings.oa.appid) return App::kOa;
    if (appid == settings.mp.appid) return App::kMp;
    return std::nullopt;
  }
  const AppCredentials& credentials(App app) const {
    return app == App::kOa ? settings.oa : settings.mp;
  }

  const Options settings;
  FakeClock clock;
  Population population;
  TokenService tokens;
  QuotaBook quotas;
  FaultInjector faults;
  IpAllowList allowList;
  Deliveries deliveries;
  MiniProgram miniProgram;
  TemplateCatalog templates;
  BizTemplateCatalog bizTemplates;
  SubscribeGrants mpGrants;  // spent by subscribe/send, per (mp_openid, template_id)
  SubscribeGrants oaGrants;  // spent by subscribe/bizsend, per (oa_openid, template_id)
  QrCodes qrCodes;
  Stats stats;
  std::atomic<int64_t> tokenUses{0};  // calls that used a token, for --invalidate-token-every
};

}  // namespace wxb::fake
