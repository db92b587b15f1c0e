#include "bridge/config/settings.h"

#include <date/tz.h>

#include <algorithm>

#include "bridge/config/config_reader.h"
#include "bridge/config/settings_callback.h"
#include "bridge/config/settings_notify.h"
#include "bridge/http/ip_allowlist.h"
#include "cron/cron_expr.h"
#include "cron/time_zone.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

void readStore(ConfigReader& in, StoreSettings& store) {
  std::string url = in.required("store.url");
  if (auto problem = parseStoreUrl(url, store)) in.fail("store.url", *problem);
  store.password = in.string("store.password");
  store.poolSize = static_cast<int>(in.integer("store.pool_size"));
  store.connectTimeoutMs = static_cast<int>(in.integer("store.connect_timeout_ms"));
  store.readTimeoutMs = static_cast<int>(in.integer("store.read_timeout_ms"));
}

void readApp(ConfigReader& in, const std::string& prefix, std::string& appid, std::string& secret) {
  appid = in.string(prefix + ".appid");
  secret = in.string(prefix + ".secret");
  if (!appid.empty() && !isValidWechatId(appid)) {
    in.fail(prefix + ".appid", std::string("must be ") + kWechatIdRule);
  }
  if (!appid.empty() && secret.empty()) in.fail(prefix + ".secret", "must be set with the appid");
}

void readWechat(ConfigReader& in, WechatClientSettings& wechat, TokenServiceSettings& tokens) {
  wechat.apiBase = in.httpUrl("wechat.api_base", "https://api.weixin.qq.com");
  readApp(in, "wechat.oa", wechat.oaAppid, wechat.oaSecret);
  readApp(in, "wechat.mp", wechat.mpAppid, wechat.mpSecret);
  wechat.connectTimeoutMs = static_cast<int>(in.integer("wechat.connect_timeout_ms"));
  wechat.readTimeoutMs = static_cast<int>(in.integer("wechat.read_timeout_ms"));
  wechat.maxAttempts = static_cast<int>(in.integer("wechat.max_attempts"));
  tokens.stableEndpoint = in.choice("wechat.token.endpoint", {"stable", "classic"}) == "stable";
  tokens.refreshAheadMs = in.integer("wechat.token.refresh_ahead_seconds") * 1000;
}

void readAccess(ConfigReader& in, HttpSettings& http) {
  // Empty would lock every client out without a word: refused, as any empty typed value.
  auto allow = CidrList::parse(in.required("http.allow"));
  if (!allow) in.fail("http.allow", allow.error());
  if (allow) http.allow = *allow;
  auto proxies = CidrList::parse(in.string("http.trusted_proxies"));
  if (!proxies) in.fail("http.trusted_proxies", proxies.error());
  if (proxies) http.trustedProxies = *proxies;
  auto keys = ApiKeys::parse(in.string("http.api_keys_sha256"));
  if (!keys) in.fail("http.api_keys_sha256", keys.error());
  if (keys) http.apiKeys = *keys;
}

void readHttp(ConfigReader& in, HttpSettings& http) {
  http.bind = in.required("http.bind");
  if (!http.bind.empty() && !isIpAddress(http.bind)) {
    in.fail("http.bind",
            "'" + http.bind + "' is not an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0 or ::)");
  }
  http.port = static_cast<int>(in.integer("http.port"));
  http.threads = static_cast<int>(in.integer("http.threads"));
  http.queue = static_cast<int>(in.integer("http.queue"));
  http.maxBodyBytes = static_cast<size_t>(in.integer("http.max_body_bytes"));
  http.headerTimeoutMs = static_cast<int>(in.integer("http.header_timeout_ms"));
  http.requestTimeoutMs = static_cast<int>(in.integer("http.request_timeout_ms"));
  http.keepAliveTimeoutMs = static_cast<int>(in.integer("http.keep_alive_timeout_ms"));
  http.maxConnectionsPerIp = static_cast<int>(in.integer("http.max_connections_per_ip"));
  http.drainSeconds = static_cast<int>(in.integer("http.drain_seconds"));
  readAccess(in, http);
}

void readSync(ConfigReader& in, const StoreSettings& store, Settings& settings) {
  settings.syncCron = in.string("sync.cron");
  if (auto expr = CronExpr::parse(settings.syncCron); !settings.syncCron.empty() && !expr) {
    in.fail("sync.cron", expr.error().message);
  }
  SyncSettings& sync = settings.sync;
  sync.concurrency = static_cast<int>(in.integer("sync.concurrency"));
  sync.qps = in.number("sync.qps");
  sync.leaseTtlMs = in.integer("sync.lease_seconds") * 1000;
  sync.writeBatch = static_cast<size_t>(in.integer("sync.batch_size"));
  sync.retryAttempts = static_cast<int>(in.integer("sync.retry_attempts"));
  sync.writeBackStatement = in.string("sync.writeback.statement");
  if (sync.writeBackStatement.empty()) return;
  if (std::count(sync.writeBackStatement.begin(), sync.writeBackStatement.end(), '?') != 2) {
    in.fail("sync.writeback.statement",
            "must hold exactly two '?': the OA openid, then the unionid");
  } else if (store.kind != StoreSettings::Kind::Mysql) {
    in.fail("sync.writeback.statement", "needs a mysql:// store.url (it runs on that server)");
  }
}

void readSchedules(ConfigReader& in, ScheduleSettings& schedules) {
  schedules.minIntervalSeconds = in.integer("schedules.min_interval_seconds");
  schedules.maxPerUser = in.integer("schedules.max_per_user");
  schedules.misfireGraceSeconds = in.integer("schedules.misfire_grace_seconds");
}

void readTimezone(ConfigReader& in, std::string& zone) {
  zone = in.required("timezone");
  if (!findTimeZone(zone)) {
    in.fail("timezone", "'" + zone + "' is not an IANA time zone (e.g. Asia/Shanghai)");
  }
}

}  // namespace

std::expected<Settings, ConfigError> readSettings(const Poco::Util::AbstractConfiguration& config) {
  ConfigReader in(config);
  Settings settings;
  readStore(in, settings.store);
  readWechat(in, settings.wechat, settings.tokens);
  readHttp(in, settings.http);
  readSync(in, settings.store, settings);
  readNotify(in, settings.wechat, settings.notify);
  readSchedules(in, settings.schedules);
  readCallback(in, settings.wechat, settings.callback);
  readTimezone(in, settings.timezone);
  if (in.error()) return std::unexpected(*in.error());
  return settings;
}

std::optional<ConfigError> requireApp(const Settings& settings, App app) {
  const std::string& appid = app == App::Oa ? settings.wechat.oaAppid : settings.wechat.mpAppid;
  if (!appid.empty()) return std::nullopt;
  return ConfigError{std::string("wechat.") + appName(app) + ".appid",
                     "must be set (with its secret) to call the platform as this app"};
}

}  // namespace wxb
