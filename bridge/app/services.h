// Services: the long-lived objects one wxbridge process shares between its commands, routes
// and jobs, built from Settings in dependency order (store, platform clients, token service).
// Built once by the wiring code; every member is thread-safe.
#pragma once

#include <memory>

#include "bridge/accounts/account_lookup.h"
#include "bridge/accounts/mp_login.h"
#include "bridge/callback/callback_worker.h"
#include "bridge/config/settings.h"
#include "bridge/metrics/metrics.h"
#include "cron/clock.h"
#include "notify/digest.h"
#include "notify/notice_engine.h"
#include "notify/outbox_sender.h"
#include "notify/schedules/schedule_engine.h"
#include "notify/schedules/schedule_firing.h"
#include "store/store.h"
#include "sync/sync_runner.h"
#include "wechat/token_service.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct Services {
  Services(const Settings& s, const Clock& c) : settings(s), clock(c) {}

  const Settings& settings;
  const Clock& clock;
  Metrics metrics;
  std::unique_ptr<Store> store;
  std::unique_ptr<AccountLookup> accounts;    // the /v1/accounts routes: batched store reads
  std::unique_ptr<WechatClient> tokenClient;  // token calls only: feeds the token service
  std::unique_ptr<TokenService> tokens;
  std::unique_ptr<WechatClient> platform;  // every other call, with tokens as its TokenSource
  std::unique_ptr<MpLogin> mpLogin;        // null unless wechat.mp.appid is set
  std::unique_ptr<SyncRunner> sync;        // follower syncs (cron job, POST /v1/sync:run)
  std::unique_ptr<OutboxSender> sender;    // delivers the outbox (serve starts it)
  std::unique_ptr<DigestRunner> digest;    // null unless notify.digest.template is set
  std::unique_ptr<NoticeEngine> notices;   // null unless notify.realtime.* are set
  std::unique_ptr<ScheduleFiring> scheduleFiring;  // one pass over the due reminders
  std::unique_ptr<ScheduleEngine> schedules;       // fires reminders (serve starts it)
  // Runs the event push's queue (serve starts it); null without wechat.oa.appid.
  std::unique_ptr<CallbackWorker> callbackWorker;

  // Opens the store (migrating it) and builds the rest, with their metrics hooks wired.
  // Throws StoreUnavailable.
  static std::unique_ptr<Services> open(const Settings& settings, const Clock& clock);
};

}  // namespace wxb
