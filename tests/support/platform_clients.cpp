#include "support/platform_clients.h"

#include "store/leases/leases.h"
#include "store/tokens/tokens.h"

namespace wxb::test {

PlatformClients::PlatformClients(Store& store, const WechatClientSettings& client,
                                 const Clock& clock, TokenServiceSettings settings)
    : tokenClient(client),
      tokens(store.tokens(), store.leases(), tokenClient, clock, std::move(settings)),
      platform(client, tokens) {}

}  // namespace wxb::test
