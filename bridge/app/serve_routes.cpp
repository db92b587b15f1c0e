#include "bridge/app/serve_routes.h"

namespace wxb {

namespace {

std::set<App> configuredApps(const Settings& settings) {
  std::set<App> apps;
  for (App app : {App::Oa, App::Mp}) {
    if (!requireApp(settings, app)) apps.insert(app);
  }
  return apps;
}

// Builds a group and lets it add its routes.
template <typename Group, typename... Deps>
std::unique_ptr<Group> added(Router& router, Deps&&... deps) {
  auto group = std::make_unique<Group>(std::forward<Deps>(deps)...);
  group->addTo(router);
  return group;
}

}  // namespace

ServeRoutes::ServeRoutes(Services& s) {
  Store& store = *s.store;
  const std::set<App> apps = configuredApps(s.settings);
  SyncRunner* runner = apps.count(App::Oa) ? s.sync.get() : nullptr;
  accounts_ = added<AccountRoutes>(router_, *s.accounts);
  mpSessions_ = added<MpSessionRoutes>(router_, s.mpLogin.get());
  tokens_ = added<TokenRoutes>(router_, *s.tokens, s.clock, apps);
  sync_ = added<SyncRoutes>(router_, runner, store.syncRuns(), s.clock);
  events_ = added<EventRoutes>(router_, store.notifications(), s.clock);
  messages_ =
      added<MessageRoutes>(router_, store.accounts(), store.notifications(), s.settings.notify,
                           s.clock, [sender = s.sender.get()] { sender->wake(); });
  subscriptions_ = added<SubscriptionRoutes>(router_, store.subscriptions(),
                                             s.settings.notify.grantSource, s.clock);
  ops_ = added<OpsRoutes>(router_, store, s.metrics);
}

}  // namespace wxb
