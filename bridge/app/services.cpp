#include "bridge/app/services.h"

#include <algorithm>
#include <string_view>

#include "bridge/app/failpoint.h"
#include "bridge/metrics/callback_metrics.h"
#include "bridge/metrics/notify_metrics.h"
#include "bridge/metrics/schedule_metrics.h"
#include "bridge/metrics/sync_metrics.h"
#include "store/accounts/accounts.h"
#include "store/open_store.h"

namespace wxb {

namespace {

// Account lookups by unionid share at most this many concurrent store queries of up to
// kLookupBatch unionids each (store/accounts/lookup_batcher.h; tuned with bench/lookup.sh).
constexpr int kLookupQueries = 2;
constexpr size_t kLookupBatch = 64;
// The longest the schedule engine sleeps without looking for due reminders: changes made by
// another instance are seen within it (changes made here wake it at once).
constexpr int64_t kSchedulePollMs = 1'000;

// The reminder engine: fires go to the outbox, and the sender is woken for them.
void openSchedules(Services& services) {
  auto observe = scheduleFireObserver(services.metrics);
  OutboxSender& sender = *services.sender;
  services.scheduleFiring = std::make_unique<ScheduleFiring>(
      services.store->schedules(), services.clock, services.settings.notify,
      services.settings.schedules,
      [observe, &sender](const ScheduleFireDecision& d, int64_t nowMs) {
        observe(d, nowMs);
        if (d.message) sender.wake();
      });
  describeScheduleMetrics(services.metrics, services.store->schedules());
  services.schedules = std::make_unique<ScheduleEngine>(
      services.clock,
      [&firing = *services.scheduleFiring](int64_t nowMs) { return firing.fireDue(nowMs); },
      ScheduleEngineSettings{.pollMs = kSchedulePollMs});
}

// The sender's test hooks: a WXB_FAILPOINT naming one of its moments ends serve there
// (failpoint.h, docs/reliability.md "Test hooks").
SenderSettings withFailpoints(SenderSettings sender) {
  for (std::string_view moment :
       {SenderSettings::kAfterGrantTaken, SenderSettings::kAfterCallStarted}) {
    if (!failpointArmed(moment)) continue;
    sender.failpoint = [moment](std::string_view at) {
      if (at == moment) failpointExit();
    };
  }
  return sender;
}

void describeMetrics(Metrics& metrics) {
  metrics.describe("wxbridge_platform_calls_total", Metrics::Type::Counter,
                   "platform HTTP attempts by api and errcode (negative: transport/HTTP failure)");
  metrics.describe("wxbridge_platform_call_duration_seconds", Metrics::Type::Histogram,
                   "platform call latency by api",
                   {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  metrics.describe("wxbridge_token_refreshes_total", Metrics::Type::Counter,
                   "access_token service events by app and outcome");
}

}  // namespace

std::unique_ptr<Services> Services::open(const Settings& settings, const Clock& clock) {
  auto services = std::make_unique<Services>(settings, clock);
  Metrics& metrics = services->metrics;
  describeMetrics(metrics);
  WechatClientSettings wechat = settings.wechat;
  wechat.onCall = [&metrics](const std::string& api, int errcode, int64_t ms) {
    metrics.increment("wxbridge_platform_calls_total",
                      {{"api", api}, {"errcode", std::to_string(errcode)}});
    metrics.observe("wxbridge_platform_call_duration_seconds", {{"api", api}}, ms / 1000.0);
  };
  TokenServiceSettings tokens = settings.tokens;
  tokens.onRefresh = [&metrics](App app, const std::string& outcome) {
    metrics.increment("wxbridge_token_refreshes_total",
                      {{"app", appName(app)}, {"outcome", outcome}});
  };
  services->store = openStore(settings.store, clock);
  Store& store = *services->store;
  store.migrate();
  services->accounts = std::make_unique<AccountLookup>(
      store.accounts(), std::min(kLookupQueries, settings.store.poolSize), kLookupBatch);
  services->tokenClient = std::make_unique<WechatClient>(wechat);
  services->tokens = std::make_unique<TokenService>(store.tokens(), store.leases(),
                                                    *services->tokenClient, clock, tokens);
  services->platform = std::make_unique<WechatClient>(wechat, *services->tokens);
  if (!requireApp(settings, App::Mp)) {
    services->mpLogin = std::make_unique<MpLogin>(*services->platform, store.accounts());
  }
  services->sync = std::make_unique<SyncRunner>(store.accounts(), store.syncRuns(), store.leases(),
                                                *services->platform, clock, settings.sync,
                                                syncMetricsHooks(metrics));
  describeNotifyMetrics(metrics, store.notifications(), clock, settings.notify.sender.dailyBudget);
  services->sender = std::make_unique<OutboxSender>(
      store.notifications(), store.accounts(), store.subscriptions(), store.leases(),
      *services->platform, clock, withFailpoints(settings.notify.sender),
      notifySendObserver(metrics));
  if (!settings.notify.digestTemplate.empty()) {
    services->digest = std::make_unique<DigestRunner>(
        store.notifications(), store.notices(), store.leases(), settings.notify, clock,
        [sender = services->sender.get()] { sender->wake(); });
  }
  if (settings.notify.realtime.enabled()) {
    services->notices = std::make_unique<NoticeEngine>(
        store.notices(), settings.notify, settings.timezone, clock,
        [&metrics, sender = services->sender.get()](const NoticeCounts& counts) {
          countNotices(metrics, counts);
          if (counts.single + counts.many > 0) sender->wake();
        });
  }
  openSchedules(*services);
  describeCallbackMetrics(metrics, store.callback());
  if (!requireApp(settings, App::Oa)) {
    services->callbackWorker = std::make_unique<CallbackWorker>(
        store.callback(), store.accounts(), *services->platform, metrics, clock);
  }
  return services;
}

}  // namespace wxb
