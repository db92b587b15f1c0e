#include "bridge/services.h"

#include "store/open_store.h"

namespace wxb {

std::unique_ptr<Services> Services::open(const Settings& settings, const Clock& clock) {
  auto services = std::unique_ptr<Services>(new Services{clock, nullptr, nullptr, nullptr, nullptr});
  services->store = openStore(settings.store);
  services->store->migrate();
  services->tokenClient = std::make_unique<WechatClient>(settings.wechat);
  services->tokens = std::make_unique<TokenService>(*services->store, *services->tokenClient,
                                                    clock, settings.tokens);
  services->platform = std::make_unique<WechatClient>(settings.wechat, *services->tokens);
  return services;
}

}  // namespace wxb
