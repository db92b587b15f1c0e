// Settings: the typed, validated view of the configuration that the wiring code hands to each
// part of wxbridge. readSettings() is the only place that turns property strings into values;
// a bad value is a ConfigError naming the key (exit code 2). A plain value type.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <expected>
#include <string>

#include "bridge/config/config.h"
#include "bridge/config/settings_callback.h"
#include "bridge/http/http_settings.h"
#include "notify/notify_settings.h"
#include "notify/schedules/schedule_settings.h"
#include "store/store_settings.h"
#include "sync/sync_settings.h"
#include "wechat/token_service.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct Settings {
  StoreSettings store;
  WechatClientSettings wechat;
  TokenServiceSettings tokens;
  HttpSettings http;
  SyncSettings sync;
  std::string syncCron = "30 3 * * *";  // sync.cron; empty: no scheduled sync
  NotifySettings notify;                // notify.*, templates.*
  ScheduleSettings schedules;           // schedules.*
  CallbackConfig callback;              // callback.*, bind.*
  std::string timezone = "Asia/Shanghai";
};

std::expected<Settings, ConfigError> readSettings(const Poco::Util::AbstractConfiguration& config);

// Checks that `app` has an appid and a secret, for the commands and routes that call it.
std::optional<ConfigError> requireApp(const Settings& settings, App app);

}  // namespace wxb
