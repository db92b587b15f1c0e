// PlatformClients: the platform side of one wxbridge, wired the way bridge/app/services.cpp
// wires it - a client for the token calls, the token service over a store's tokens and leases,
// and the client for every other call, which takes its tokens from that service. For the
// integration tests that run the sync, the token service or the outbox sender in-process
// against fake-wechat. Thread-safe like its parts; the store and clock must outlive it.
#pragma once

#include "cron/clock.h"
#include "store/store.h"
#include "wechat/token_service.h"
#include "wechat/wechat_client.h"

namespace wxb::test {

struct PlatformClients {
  WechatClient tokenClient;
  TokenService tokens;
  WechatClient platform;

  PlatformClients(Store& store, const WechatClientSettings& client, const Clock& clock,
                  TokenServiceSettings settings = {});
};

}  // namespace wxb::test
