#include "bridge/app/serve_routes.h"

#include "bridge/app/failpoint.h"
#include "bridge/callback/grant_push_recorder.h"
#include "bridge/callback/push_recorder.h"
#include "notify/ledger_updates.h"

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

// The event types configured under notify.types (what events and muted_types may name).
std::set<std::string> knownTypes(const NotifySettings& notify) {
  std::set<std::string> types;
  for (const auto& [type, label] : notify.typeLabels) types.insert(type);
  return types;
}

// The OA's endpoint when callback.token is set: its envelope and the record-first handler,
// which wakes the callback worker after a commit that queued jobs; the subscribe-message events
// pushed to it (the OA's subscribe notifications) go to the OA's book of the grant ledger, where
// they always count (no client reports that book). The mini program's endpoint when
// callback.mp.token is set: its own envelope, the grant events to the mini program's book. The
// test hook callback_after_commit (failpoint.h) ends the process between an OA push's commit and
// its reply.
std::vector<CallbackEndpoint> callbackEndpoints(Services& s) {
  const CallbackConfig& config = s.settings.callback;
  CallbackStore& store = s.store->callback();
  std::vector<CallbackEndpoint> endpoints;
  if (config.enabled) {
    auto recorder =
        std::make_shared<PushRecorder>(store, s.metrics, [worker = s.callbackWorker.get()] {
          if (worker) worker->wake();
        });
    auto grants = std::make_shared<GrantPushRecorder>(store, kOaBook, GrantSource::Events);
    const bool dieAfterCommit = failpointArmed("callback_after_commit");
    endpoints.push_back(
        CallbackEndpoint{CallbackRoutes::kOaPath, std::make_shared<CallbackEnvelope>(config.oa),
                         [recorder, grants, dieAfterCommit](const PushEvent& push, int64_t nowMs) {
                           PushOutcome outcome = isGrantEvent(push) ? (*grants)(push, nowMs)
                                                                    : (*recorder)(push, nowMs);
                           if (dieAfterCommit && outcome == PushOutcome::Applied) failpointExit();
                           return outcome;
                         }});
  }
  if (config.mpEnabled) {
    auto grants =
        std::make_shared<GrantPushRecorder>(store, kMpBook, s.settings.notify.grantSource);
    endpoints.push_back(CallbackEndpoint{
        CallbackRoutes::kMpPath, std::make_shared<CallbackEnvelope>(config.mp),
        [grants](const PushEvent& push, int64_t nowMs) { return (*grants)(push, nowMs); }});
  }
  return endpoints;
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
  const NotifySettings& notify = s.settings.notify;
  const PreferenceDefaults defaults{s.settings.timezone, notify.realtime.quietHours};
  events_ = added<EventRoutes>(
      router_, store.notifications(), store.notices(), notify.realtime, s.clock,
      [engine = s.notices.get()] {
        if (engine) engine->wake();
      },
      knownTypes(notify));
  messages_ = added<MessageRoutes>(router_, store.accounts(), store.notifications(),
                                   store.notices(), notify, defaults, s.clock,
                                   [sender = s.sender.get()] { sender->wake(); });
  subscriptions_ =
      added<SubscriptionRoutes>(router_, store.subscriptions(), notify.grantSource, s.clock);
  preferences_ =
      added<PreferenceRoutes>(router_, store.notices(), defaults, knownTypes(notify), s.clock);
  schedules_ = added<ScheduleRoutes>(router_, store.schedules(),
                                     ScheduleRules{s.settings.notify, s.settings.schedules},
                                     s.clock, [engine = s.schedules.get()] { engine->wake(); });
  ops_ = added<OpsRoutes>(router_, store, s.metrics);
  callback_ = added<CallbackRoutes>(router_, callbackEndpoints(s), s.metrics, s.clock);
  bindCodes_ = added<BindCodeRoutes>(
      router_, store.callback(), store.accounts(), apps.count(App::Oa) ? s.platform.get() : nullptr,
      s.clock,
      BindCodeSettings{s.settings.callback.bindCodeTtlSeconds, s.settings.callback.qrImageBase});
}

}  // namespace wxb
