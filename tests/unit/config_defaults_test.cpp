// The key table (bridge/config/config_keys.cpp) is the one source of every default and range:
// the settings structs' initialisers, the values readSettings() produces from defaults alone,
// the reader's range checks, docs/configuration.md and etc/wxbridge.properties must all agree
// with it. Any drift fails here, naming the key.
#include <boost/test/unit_test.hpp>
#include <map>
#include <set>
#include <sstream>

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"
#include "bridge/config/settings.h"
#include "support/test_config.h"

namespace wxb {

namespace {

using test::settingsWith;
using test::sourceFile;

// Keys whose settings field has no default of its own to compare: secrets, appids (no
// default), and parsed lists whose struct default is "nothing allowed" on purpose.
const std::set<std::string> kNoStructDefault = {"store.password",
                                                "wechat.oa.appid",
                                                "wechat.oa.secret",
                                                "wechat.mp.appid",
                                                "wechat.mp.secret",
                                                "http.allow",
                                                "http.trusted_proxies",
                                                "http.api_keys_sha256",
                                                "sync.writeback.statement",
                                                "notify.digest.template",
                                                "callback.token",
                                                "callback.aes_key",
                                                "callback.aes_key_previous",
                                                "callback.mp.token",
                                                "callback.mp.aes_key",
                                                "callback.mp.aes_key_previous"};

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// "oa_template, mp_subscribe": notify.channels as written.
std::string channelList(const std::vector<Channel>& channels) {
  std::string out;
  for (Channel c : channels) out += (out.empty() ? "" : ", ") + std::string(channelName(c));
  return out;
}

// Each keyed field of `s`, written the way the key's value is written in the configuration.
std::map<std::string, std::string> keyedFields(const Settings& s) {
  auto n = [](int64_t v) { return std::to_string(v); };
  return {
      {"store.url", "sqlite:" + s.store.sqlitePath},
      {"store.pool_size", n(s.store.poolSize)},
      {"store.connect_timeout_ms", n(s.store.connectTimeoutMs)},
      {"store.read_timeout_ms", n(s.store.readTimeoutMs)},
      {"wechat.api_base", s.wechat.apiBase},
      {"wechat.connect_timeout_ms", n(s.wechat.connectTimeoutMs)},
      {"wechat.read_timeout_ms", n(s.wechat.readTimeoutMs)},
      {"wechat.max_attempts", n(s.wechat.maxAttempts)},
      {"wechat.token.endpoint", s.tokens.stableEndpoint ? "stable" : "classic"},
      {"wechat.token.refresh_ahead_seconds", n(s.tokens.refreshAheadMs / 1000)},
      {"http.bind", s.http.bind},
      {"http.port", n(s.http.port)},
      {"http.threads", n(s.http.threads)},
      {"http.queue", n(s.http.queue)},
      {"http.max_body_bytes", n(static_cast<int64_t>(s.http.maxBodyBytes))},
      {"http.header_timeout_ms", n(s.http.headerTimeoutMs)},
      {"http.request_timeout_ms", n(s.http.requestTimeoutMs)},
      {"http.keep_alive_timeout_ms", n(s.http.keepAliveTimeoutMs)},
      {"http.max_connections_per_ip", n(s.http.maxConnectionsPerIp)},
      {"http.drain_seconds", n(s.http.drainSeconds)},
      {"sync.cron", s.syncCron},
      {"sync.concurrency", n(s.sync.concurrency)},
      {"sync.qps", number(s.sync.qps)},
      {"sync.lease_seconds", n(s.sync.leaseTtlMs / 1000)},
      {"sync.batch_size", n(static_cast<int64_t>(s.sync.writeBatch))},
      {"sync.retry_attempts", n(s.sync.retryAttempts)},
      {"notify.digest.cron", s.notify.digestCron},
      {"notify.retention_days", n(s.notify.retentionDays)},
      {"notify.qps", number(s.notify.sender.qps)},
      {"notify.workers", n(s.notify.sender.workers)},
      {"notify.max_attempts", n(s.notify.sender.maxAttempts)},
      {"notify.channels", channelList(s.notify.channelOrder)},
      {"notify.budget.oa_template", n(s.notify.sender.dailyBudget[0])},
      {"notify.budget.mp_subscribe", n(s.notify.sender.dailyBudget[1])},
      {"notify.budget.oa_subscribe", n(s.notify.sender.dailyBudget[2])},
      {"subscriptions.source", std::string(grantSourceName(s.notify.grantSource))},
      {"notify.throttle_seconds", n(s.notify.realtime.throttleMs / 1000)},
      {"notify.realtime.single", s.notify.realtime.singleTemplate},
      {"notify.realtime.many", s.notify.realtime.manyTemplate},
      {"notify.quiet_hours", formatQuietHours(s.notify.realtime.quietHours)},
      {"schedules.min_interval_seconds", n(s.schedules.minIntervalSeconds)},
      {"schedules.max_per_user", n(s.schedules.maxPerUser)},
      {"schedules.misfire_grace_seconds", n(s.schedules.misfireGraceSeconds)},
      {"callback.encryption", s.callback.oa.encryption == CallbackEncryption::Plain ? "plain"
                              : s.callback.oa.encryption == CallbackEncryption::Safe
                                  ? "safe"
                                  : "compatible"},
      {"callback.max_skew_seconds", n(s.callback.oa.maxSkewSeconds)},
      {"callback.max_body_bytes", n(static_cast<int64_t>(s.callback.oa.maxBodyBytes))},
      {"callback.dedup_hours", n(s.callback.dedupHours)},
      {"callback.mp.encryption", s.callback.mp.encryption == CallbackEncryption::Plain ? "plain"
                                 : s.callback.mp.encryption == CallbackEncryption::Safe
                                     ? "safe"
                                     : "compatible"},
      {"bind.code_ttl_seconds", n(s.callback.bindCodeTtlSeconds)},
      {"bind.qr_image_base", s.callback.qrImageBase},
      {"timezone", s.timezone},
  };
}

// The table row of `key` in docs/configuration.md: "| `key` | `default` | meaning |".
std::string docsRow(const std::string& docs, const std::string& key) {
  size_t start = docs.find("| `" + key + "` |");
  if (start == std::string::npos) return "";
  return docs.substr(start, docs.find('\n', start) - start);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_defaults)

BOOST_AUTO_TEST_CASE(every_key_has_a_struct_default_or_is_listed_without_one) {
  const auto fields = keyedFields(Settings{});
  for (const auto& k : configKeys()) {
    BOOST_TEST_CONTEXT(k.key) {
      BOOST_TEST((fields.count(k.key) == 1) != (kNoStructDefault.count(k.key) == 1));
    }
  }
}

BOOST_AUTO_TEST_CASE(struct_initialisers_equal_the_table_defaults) {
  const auto fields = keyedFields(Settings{});
  for (const auto& k : configKeys()) {
    if (!fields.count(k.key)) continue;
    BOOST_TEST_CONTEXT(k.key) { BOOST_TEST(fields.at(k.key) == k.defaultValue); }
  }
}

BOOST_AUTO_TEST_CASE(defaults_alone_read_as_the_table_defaults) {
  auto settings = settingsWith({});
  BOOST_TEST_REQUIRE(settings.has_value(), (settings ? "" : settings.error().describe()));
  auto fields = keyedFields(*settings);
  fields.erase("store.url");  // made absolute when read
  for (const auto& k : configKeys()) {
    if (!fields.count(k.key)) continue;
    BOOST_TEST_CONTEXT(k.key) { BOOST_TEST(fields.at(k.key) == k.defaultValue); }
  }
}

BOOST_AUTO_TEST_CASE(every_range_is_enforced_at_both_ends) {
  for (const auto& k : configKeys()) {
    if (!k.range) continue;
    BOOST_TEST_CONTEXT(k.key) {
      BOOST_TEST(settingsWith({{k.key, std::to_string(k.range->min)}}).has_value());
      BOOST_TEST(settingsWith({{k.key, std::to_string(k.range->max)}}).has_value());
      for (int64_t outside : {k.range->min - 1, k.range->max + 1}) {
        auto s = settingsWith({{k.key, std::to_string(outside)}});
        BOOST_TEST_REQUIRE(!s.has_value());
        BOOST_TEST(s.error().key == k.key);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(docs_show_each_default_and_range) {
  const std::string docs = sourceFile("docs/configuration.md");
  BOOST_REQUIRE(!docs.empty());
  for (const auto& k : configKeys()) {
    BOOST_TEST_CONTEXT(k.key) {
      const std::string row = docsRow(docs, k.key);
      const std::string def = *k.defaultValue ? "`" + std::string(k.defaultValue) + "`" : "(none)";
      BOOST_TEST(row.find("| " + def + " |") != std::string::npos, row);
      if (!k.range) continue;
      const std::string range = std::to_string(k.range->min) + "-" + std::to_string(k.range->max);
      BOOST_TEST(row.find(range) != std::string::npos, row);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_sample_file_sets_each_default) {
  const std::string sample = sourceFile("etc/wxbridge.properties");
  BOOST_REQUIRE(!sample.empty());
  for (const auto& k : configKeys()) {
    if (!*k.defaultValue) continue;
    BOOST_TEST_CONTEXT(k.key) {
      const std::string line = "\n" + std::string(k.key) + " = " + k.defaultValue + "\n";
      BOOST_TEST(sample.find(line) != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
