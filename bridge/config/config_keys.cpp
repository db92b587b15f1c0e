#include "bridge/config/config_keys.h"

#include <cctype>

namespace wxb {

const std::vector<ConfigKey>& configKeys() {
  static const std::vector<ConfigKey> keys = {
      {"store.url", "sqlite:var/wxbridge.db", false,
       "sqlite:PATH (one instance) or mysql://USER@HOST:PORT/DB (shared by instances)"},
      {"store.password", "", true, "MySQL password; prefer WXBRIDGE_STORE_PASSWORD"},
      {"store.pool_size", "8", false, "MySQL connections per process", ConfigRange{1, 256}},
      {"store.connect_timeout_ms", "3000", false, "MySQL connect timeout", ConfigRange{100, 60000}},
      {"store.read_timeout_ms", "30000", false, "MySQL read/write timeout",
       ConfigRange{1000, 600000}},
      {"wechat.api_base", "https://api.weixin.qq.com", false,
       "platform base URL; http:// only for a local fake-wechat"},
      {"wechat.oa.appid", "", false, "official account appid"},
      {"wechat.oa.secret", "", true,
       "official account appsecret; prefer WXBRIDGE_WECHAT_OA_SECRET"},
      {"wechat.mp.appid", "", false, "mini program appid"},
      {"wechat.mp.secret", "", true, "mini program appsecret; prefer WXBRIDGE_WECHAT_MP_SECRET"},
      {"wechat.connect_timeout_ms", "3000", false, "platform connect timeout",
       ConfigRange{100, 60000}},
      {"wechat.read_timeout_ms", "5000", false, "platform read timeout", ConfigRange{100, 120000}},
      {"wechat.max_attempts", "4", false, "tries per platform call on -1, HTTP 5xx and timeouts",
       ConfigRange{1, 10}},
      {"wechat.token.endpoint", "stable", false,
       "stable (/cgi-bin/stable_token) or classic (/cgi-bin/token)"},
      {"wechat.token.refresh_ahead_seconds", "600", false,
       "the refresher renews a token with less than this left", ConfigRange{60, 3600}},
      {"http.bind", "127.0.0.1", false, "address `serve` listens on (0.0.0.0 or :: for all)"},
      {"http.port", "8080", false, "port `serve` listens on (0 picks a free one)",
       ConfigRange{0, 65535}},
      {"http.threads", "16", false, "request threads", ConfigRange{1, 1024}},
      {"http.queue", "256", false,
       "connections open beyond http.threads before new ones are refused", ConfigRange{1, 65536}},
      {"http.allow", "127.0.0.1/32, ::1/128", false,
       "CIDR list of client addresses that may call /v1 and /metrics"},
      {"http.trusted_proxies", "", false, "CIDR list of proxies whose X-Forwarded-For is believed"},
      {"http.api_keys_sha256", "", false,
       "SHA-256 hex digests of the bearer keys that may call /v1, comma-separated"},
      {"http.max_body_bytes", "1048576", false, "larger request bodies get 413",
       ConfigRange{1024, 67108864}},
      {"http.header_timeout_ms", "2000", false,
       "a request head must arrive within this of its first byte", ConfigRange{100, 600000}},
      {"http.request_timeout_ms", "10000", false,
       "a request body must arrive, and a response be taken, within this",
       ConfigRange{100, 600000}},
      {"http.keep_alive_timeout_ms", "15000", false, "idle keep-alive connection timeout",
       ConfigRange{100, 600000}},
      {"http.max_connections_per_ip", "128", false,
       "connections one peer address may hold open; trusted proxies exempt", ConfigRange{1, 65536}},
      {"http.drain_seconds", "20", false, "on SIGTERM, how long requests in flight may finish",
       ConfigRange{0, 600}},
      {"sync.cron", "30 3 * * *", false,
       "when serve runs the follower sync (cron, in `timezone`); empty: never"},
      {"sync.concurrency", "8", false, "batchget calls in flight at once during a sync",
       ConfigRange{1, 64}},
      {"sync.qps", "500", false,
       "platform calls a second during a sync, user/get and batchget together; 0: no limit",
       ConfigRange{0, 100000}},
      {"sync.lease_seconds", "120", false,
       "the sync lease (one sync across instances), renewed every third of it",
       ConfigRange{5, 3600}},
      {"sync.batch_size", "2000", false, "followers written per store transaction",
       ConfigRange{100, 10000}},
      {"sync.retry_attempts", "6", false,
       "tries of one sync call on -1, timeouts, 45011 and dead tokens, on top of the client's",
       ConfigRange{1, 20}},
      {"sync.writeback.statement", "", false,
       "MySQL statement run for each mapped follower: first ? the OA openid, second the unionid"},
      {"notify.digest.cron", "0 9 * * *", false,
       "when serve sends the unread digest (cron, in `timezone`)"},
      {"notify.digest.template", "", false,
       "NAME of the templates.NAME.* the digest uses; empty: no digest"},
      {"notify.throttle_seconds", "600", false,
       "real-time notices: at most one per user in this many seconds; the rest merge",
       ConfigRange{1, 86400}},
      {"notify.realtime.single", "", false,
       "NAME of the template announcing one real-time event; empty: no real-time notices"},
      {"notify.realtime.many", "", false,
       "NAME of the template merging the events a window held (set with .single)"},
      {"notify.quiet_hours", "", false,
       "HH:MM-HH:MM in the user's zone when real-time notices wait; empty: none"},
      // The upper bound is a hundred years: anything longer is 0, keep forever.
      {"notify.retention_days", "30", false,
       "days final outbox messages and read events are kept; 0: forever", ConfigRange{0, 36500}},
      {"notify.qps", "200", false, "template sends a second per process", ConfigRange{1, 100000}},
      {"notify.workers", "4", false, "outbox sending threads per process", ConfigRange{1, 64}},
      {"notify.max_attempts", "8", false,
       "platform calls per message on -1, 5xx and timeouts before it fails", ConfigRange{1, 20}},
      {"notify.channels", "oa_template, mp_subscribe", false,
       "the order in which \"channel\": \"auto\" tries a template's channels"},
      {"notify.budget.oa_template", "100000", false, "oa_template sends a China day, all instances",
       ConfigRange{0, 100000000}},
      {"notify.budget.mp_subscribe", "1000000", false,
       "mp_subscribe sends a China day, all instances", ConfigRange{0, 100000000}},
      {"notify.budget.oa_subscribe", "1000000", false,
       "oa_subscribe sends a China day, all instances", ConfigRange{0, 100000000}},
      {"subscriptions.source", "client", false,
       "whose accepts add subscribe grants: client (POST /v1/subscriptions) or events"},
      {"schedules.min_interval_seconds", "60", false,
       "shortest gap between two fires of one user-set reminder", ConfigRange{1, 86400}},
      {"schedules.max_per_user", "50", false, "reminders one unionid may have, in any state",
       ConfigRange{1, 10000}},
      {"schedules.misfire_grace_seconds", "300", false,
       "a reminder fire found at most this late is still sent; older ones are skipped",
       ConfigRange{0, 86400}},
      {"callback.token", "", true,
       "the console's Token (3-32 letters or digits); empty: no /wechat/callback"},
      {"callback.aes_key", "", true, "the console's EncodingAESKey (43 characters)"},
      {"callback.aes_key_previous", "", true,
       "the EncodingAESKey before the last change in the console (a key rollover)"},
      {"callback.encryption", "plain", false, "pushes accepted: plain | compatible | safe"},
      {"callback.mp.token", "", true,
       "the mini program's push Token (3-32 letters or digits); empty: no /wechat/callback/mp"},
      {"callback.mp.aes_key", "", true, "the mini program's push EncodingAESKey (43 characters)"},
      {"callback.mp.aes_key_previous", "", true,
       "the mini program's EncodingAESKey before its last change (a key rollover)"},
      {"callback.mp.encryption", "plain", false,
       "pushes /wechat/callback/mp accepts: plain | compatible | safe"},
      {"callback.max_skew_seconds", "300", false,
       "pushes signed further than this from our clock are refused", ConfigRange{1, 86400}},
      {"callback.max_body_bytes", "65536", false, "the callback's own body limit (413)",
       ConfigRange{1024, 1048576}},
      {"callback.dedup_hours", "24", false,
       "hours a push's dedup record is kept (a retry within it changes nothing)",
       ConfigRange{1, 720}},
      {"bind.code_ttl_seconds", "600", false, "lifetime of a bind code and its QR code",
       ConfigRange{60, 2592000}},
      {"bind.qr_image_base", "https://mp.weixin.qq.com", false,
       "where bind-code QR images are shown (BASE/cgi-bin/showqrcode?ticket=...)"},
      {"timezone", "Asia/Shanghai", false,
       "IANA zone of sync.cron, notify.digest.cron and `wxbridge cron` without --tz; the "
       "platform's quota day is always China time"},
  };
  return keys;
}

const ConfigKey* findConfigKey(std::string_view key) {
  for (const auto& k : configKeys()) {
    if (key == k.key) return &k;
  }
  return nullptr;
}

const std::vector<std::string>& configKeyPrefixes() {
  static const std::vector<std::string> prefixes = {"logging.", "templates.", "notify.types."};
  return prefixes;
}

std::string environmentName(const std::string& key) {
  std::string name = "WXBRIDGE_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper((unsigned char)c));
  return name;
}

}  // namespace wxb
