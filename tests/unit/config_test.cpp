// Configuration: layering, validation with the key named, and the key table kept in step with
// docs/configuration.md and etc/wxbridge.properties.
#include "bridge/config/config.h"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "bridge/cli/cli.h"
#include "bridge/config/config_keys.h"
#include "bridge/config/settings.h"
#include "support/test_config.h"

namespace wxb {

namespace {

using test::settingsFrom;
using test::sourceFile;
using test::sourcePath;

std::string writeTemp(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/wxb-config-test-" + std::to_string(getpid()) + "-" +
                     std::to_string(n++) + ".properties";
  std::ofstream(path) << text;
  return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_give_the_embedded_sqlite_store) {
  auto s = settingsFrom({});
  BOOST_REQUIRE(s);
  BOOST_TEST((s->store.kind == StoreSettings::Kind::Sqlite));
  BOOST_TEST(s->store.sqlitePath.ends_with("/var/wxbridge.db"));
  BOOST_TEST(s->store.sqlitePath.front() == '/');
  BOOST_TEST(s->timezone == "Asia/Shanghai");
  BOOST_TEST(s->tokens.stableEndpoint);
  BOOST_TEST(s->wechat.apiBase == "https://api.weixin.qq.com");
}

BOOST_AUTO_TEST_CASE(set_beats_environment_beats_file) {
  std::string file = writeTemp(
      "store.pool_size = 3\nstore.connect_timeout_ms = 1000\n"
      "store.read_timeout_ms = 2000\n");
  ConfigSources sources{
      file,
      {{"store.pool_size", "5"}},
      {{"WXBRIDGE_STORE_POOL_SIZE", "4"}, {"WXBRIDGE_STORE_CONNECT_TIMEOUT_MS", "1500"}}};
  auto s = settingsFrom(sources);
  BOOST_REQUIRE(s);
  BOOST_TEST(s->store.poolSize == 5);
  BOOST_TEST(s->store.connectTimeoutMs == 1500);
  BOOST_TEST(s->store.readTimeoutMs == 2000);
}

BOOST_AUTO_TEST_CASE(mysql_url_with_password_from_environment) {
  ConfigSources sources{"",
                        {{"store.url", "mysql://app@db.internal:3307/wx"}},
                        {{"WXBRIDGE_STORE_PASSWORD", "s3cret"}}};
  auto s = settingsFrom(sources);
  BOOST_REQUIRE(s);
  BOOST_TEST((s->store.kind == StoreSettings::Kind::Mysql));
  BOOST_TEST(s->store.host == "db.internal");
  BOOST_TEST(s->store.port == 3307);
  BOOST_TEST(s->store.user == "app");
  BOOST_TEST(s->store.database == "wx");
  BOOST_TEST(s->store.password == "s3cret");
}

BOOST_AUTO_TEST_CASE(bad_values_name_the_key) {
  auto check = [](const std::string& key, const std::string& value) {
    auto s = settingsFrom(ConfigSources{"", {{key, value}}, {}});
    BOOST_TEST_CONTEXT(key << "=" << value) {
      BOOST_REQUIRE(!s);
      BOOST_TEST(s.error().key == key);
      BOOST_TEST(!s.error().problem.empty());
    }
  };
  check("store.url", "postgres://x@y/z");
  check("store.pool_size", "0");
  check("store.pool_size", "eight");
  check("timezone", "Mars/Olympus");
  check("timezone", "localtime");  // the host's zone, not an IANA name (usertest4 F2)
  check("wechat.token.endpoint", "fast");
  check("wechat.api_base", "ftp://example.com");
  check("bind.qr_image_base", "ftp://example.com");
  check("bind.qr_image_base", "mp.weixin.qq.com");
  check("wechat.oa.appid", "wx bad id");
  check("wechat.max_attempts", "11");
  check("http.bind", "999.1.1.1");
  check("http.bind", "example.invalid");
}

BOOST_AUTO_TEST_CASE(an_aes_key_without_a_callback_token_names_the_token) {
  // A typo in the token's name once started serve with the callback answering 404.
  const std::string key(43, 'k');
  for (const char* aesKey : {"callback.aes_key", "callback.aes_key_previous"}) {
    auto s = settingsFrom(ConfigSources{"", {{aesKey, key}}, {}});
    BOOST_TEST_CONTEXT(aesKey) {
      BOOST_REQUIRE(!s);
      BOOST_TEST(s.error().key == "callback.token");
      BOOST_TEST(s.error().problem.find(key) == std::string::npos);
    }
  }
  auto both = settingsFrom(ConfigSources{"",
                                         {{"callback.aes_key", key},
                                          {"callback.token", "token123"},
                                          {"wechat.oa.appid", "wx0123456789abcdef"},
                                          {"wechat.oa.secret", "s3cret"}},
                                         {}});
  BOOST_TEST_INFO((both ? "" : both.error().key + ": " + both.error().problem));
  BOOST_TEST(bool(both));
}

BOOST_AUTO_TEST_CASE(http_bind_takes_ipv4_and_ipv6_addresses) {
  for (const char* address : {"127.0.0.1", "0.0.0.0", "::", "::1", "10.1.2.3"}) {
    auto s = settingsFrom(ConfigSources{"", {{"http.bind", address}}, {}});
    BOOST_TEST_CONTEXT(address) {
      BOOST_REQUIRE(s);
      BOOST_TEST(s->http.bind == address);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_empty_value_for_a_key_with_a_default_is_an_error_naming_the_key) {
  // `--set http.port=` once served on 8080 without a word. Only keys whose empty value is
  // documented to mean something are exempt.
  const std::set<std::string> emptyMeansSomething = {"sync.cron"};  // no scheduled sync
  int checked = 0;
  for (const auto& k : configKeys()) {
    if (!*k.defaultValue || emptyMeansSomething.count(k.key)) continue;
    for (const char* empty : {"", "  "}) {
      auto s = settingsFrom(ConfigSources{"", {{k.key, empty}}, {}});
      BOOST_TEST_CONTEXT(k.key << "='" << empty << "'") {
        BOOST_REQUIRE(!s);
        BOOST_TEST(s.error().key == k.key);
        BOOST_TEST(s.error().problem.find("empty") != std::string::npos, s.error().problem);
      }
    }
    ++checked;
  }
  BOOST_TEST(checked >= 25);  // the loop did check the typed keys
  auto port = settingsFrom(ConfigSources{"", {{"http.port", ""}}, {}});
  BOOST_REQUIRE(!port);
  BOOST_TEST(port.error().describe() ==
             "http.port: is empty; give a whole number 0-65535, or leave the key out for the "
             "default (8080)");
  BOOST_TEST(settingsFrom(ConfigSources{"", {{"sync.cron", ""}}, {}}).has_value());
}

BOOST_AUTO_TEST_CASE(appid_without_secret_is_rejected) {
  auto s = settingsFrom(ConfigSources{"", {{"wechat.oa.appid", "wx123"}}, {}});
  BOOST_REQUIRE(!s);
  BOOST_TEST(s.error().key == "wechat.oa.secret");
}

BOOST_AUTO_TEST_CASE(password_in_the_url_is_refused_without_echoing_it) {
  auto s = settingsFrom(ConfigSources{"", {{"store.url", "mysql://app:hunter2@db/wx"}}, {}});
  BOOST_REQUIRE(!s);
  BOOST_TEST(s.error().describe().find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_errors_in_files_and_sets) {
  auto fromSet = loadConfig(ConfigSources{"", {{"store.ulr", "sqlite:x"}}, {}});
  BOOST_REQUIRE(!fromSet);
  BOOST_TEST(fromSet.error().key == "store.ulr");
  auto fromFile = loadConfig(ConfigSources{writeTemp("sync.crom = * * * * *\n"), {}, {}});
  BOOST_REQUIRE(!fromFile);
  BOOST_TEST(fromFile.error().key == "sync.crom");
}

BOOST_AUTO_TEST_CASE(a_key_with_an_empty_part_is_refused_not_walked_for_ever) {
  // ".quie = 1" overflowed the stack (found by fuzzing): its empty first part named itself.
  for (const std::string line : {".quie = 1\n", "store..url = x\n", "sync. = 1\n"}) {
    auto loaded = loadConfig(ConfigSources{writeTemp(line), {}, {}});
    BOOST_REQUIRE_MESSAGE(!loaded, line);
    BOOST_TEST(loaded.error().key.ends_with("."), line);
    BOOST_TEST(loaded.error().problem.find("empty part") != std::string::npos);
  }
}

// usertest4 F5: Poco keeps the last of a repeated key silently; the file is refused instead,
// naming the key and both lines (comments, blank lines, a value continued with a backslash and
// CR LF line ends counted as Poco reads them), and `wxbridge` exits 2.
BOOST_AUTO_TEST_CASE(a_key_given_twice_in_the_file_is_refused_naming_both_lines) {
  const std::string plain = writeTemp(
      "# throttle\nnotify.throttle_seconds = 60\n\n! again\n  notify.throttle_seconds = 61\n");
  auto twice = loadConfig(ConfigSources{plain, {}, {}});
  BOOST_REQUIRE(!twice);
  BOOST_TEST(twice.error().describe() ==
             "notify.throttle_seconds: given twice in " + plain + " (lines 2 and 5); keep one");
  const std::string continued = writeTemp(
      "templates.a.url = https://a.example/\\\r\n  more\r\nhttp.port = 1\r\n#\r\n"
      "http.port=2");
  auto again = loadConfig(ConfigSources{continued, {}, {}});
  BOOST_REQUIRE(!again);
  BOOST_TEST(again.error().describe() ==
             "http.port: given twice in " + continued + " (lines 3 and 5); keep one");
  BOOST_TEST(loadConfig(ConfigSources{writeTemp("http.port = 1\nhttp.bind = 0.0.0.0\n"), {}, {}})
                 .has_value());
  std::ostringstream out, err;
  BOOST_TEST(runCli({"wxbridge", "--config", plain, "migrate"}, out, err) == 2);
  BOOST_TEST(err.str().find("notify.throttle_seconds: given twice") != std::string::npos,
             err.str());
}

BOOST_AUTO_TEST_CASE(missing_config_file_is_a_usage_error) {
  auto c = loadConfig(ConfigSources{"/nonexistent/wxbridge.properties", {}, {}});
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().key == "--config");
}

BOOST_AUTO_TEST_CASE(a_file_saved_with_a_utf8_byte_order_mark_loads) {
  // Windows Notepad's UTF-8 starts with EF BB BF; the first key was "\xEF\xBB\xBFhttp.port".
  auto s = settingsFrom(ConfigSources{writeTemp("\xEF\xBB\xBFhttp.port = 9090\r\n"), {}, {}});
  BOOST_REQUIRE(s);
  BOOST_TEST(s->http.port == 9090);
}

BOOST_AUTO_TEST_CASE(environment_names_follow_the_key) {
  BOOST_TEST(environmentName("store.password") == "WXBRIDGE_STORE_PASSWORD");
  BOOST_TEST(environmentName("wechat.oa.secret") == "WXBRIDGE_WECHAT_OA_SECRET");
}

// usertest5 F2: a WXBRIDGE_* variable that names no key was ignored silently (a typo in a
// systemd EnvironmentFile turned the mini program's callback off unseen); it now stops the
// start naming the variable, never its value.
BOOST_AUTO_TEST_CASE(an_environment_variable_that_names_no_key_exits_2_naming_it) {
  for (const char* name : {"WXBRIDGE_CALLBACK_MPTOKEN", "WXBRIDGE_TIMEZONES",
                           "WXBRIDGE_TEMPLATES_ORDER_TEMPLATE_ID", "WXBRIDGE_"}) {
    BOOST_TEST_CONTEXT(name) {
      auto s = settingsFrom(ConfigSources{"", {}, {{name, "s3cret-value"}}});
      BOOST_TEST_REQUIRE(!s.has_value());
      BOOST_TEST(s.error().key == name);
      BOOST_TEST(s.error().describe().find("s3cret-value") == std::string::npos);
      BOOST_TEST(s.error().describe().find("unknown environment variable") != std::string::npos,
                 s.error().describe());
    }
  }
  BOOST_TEST(settingsFrom(ConfigSources{"", {}, {{"WXBRIDGE_TIMEZONE", "UTC"}}}).has_value());
}

BOOST_AUTO_TEST_CASE(every_key_is_documented_and_in_the_sample_file) {
  std::string docs = sourceFile("docs/configuration.md");
  std::string sample = sourceFile("etc/wxbridge.properties");
  BOOST_REQUIRE(!docs.empty());
  BOOST_REQUIRE(!sample.empty());
  for (const auto& k : configKeys()) {
    BOOST_TEST_CONTEXT(k.key) {
      BOOST_TEST(docs.find("`" + std::string(k.key) + "`") != std::string::npos);
      BOOST_TEST(sample.find(std::string(k.key) + " ") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_sample_file_loads_cleanly) {
  auto s = settingsFrom(ConfigSources{sourcePath("etc/wxbridge.properties"), {}, {}});
  BOOST_TEST(s.has_value(), (s ? "" : s.error().describe()));
}

BOOST_AUTO_TEST_CASE(the_production_sample_loads_with_secrets_from_the_environment) {
  ConfigSources sources{sourcePath("etc/wxbridge-production.properties"),
                        {},
                        {{"WXBRIDGE_WECHAT_OA_SECRET", "x"},
                         {"WXBRIDGE_WECHAT_MP_SECRET", "y"},
                         {"WXBRIDGE_STORE_PASSWORD", "z"}}};
  auto s = settingsFrom(sources);
  BOOST_TEST(s.has_value(), (s ? "" : s.error().describe()));
  BOOST_TEST((s->store.kind == StoreSettings::Kind::Mysql));
  BOOST_TEST(s->http.allow.contains("10.1.2.3"));
  BOOST_TEST(!s->http.allow.contains("192.168.1.1"));
  BOOST_TEST(s->http.apiKeys.size() == 0u);
}

BOOST_AUTO_TEST_CASE(cli_exit_codes) {
  std::ostringstream out, err;
  BOOST_TEST(runCli({"wxbridge", "--help"}, out, err) == 0);
  BOOST_TEST(out.str().find("migrate") != std::string::npos);
  BOOST_TEST(runCli({"wxbridge"}, out, err) == 2);
  BOOST_TEST(runCli({"wxbridge", "frobnicate"}, out, err) == 2);
  BOOST_TEST(runCli({"wxbridge", "--set", "store.pool_size=x", "migrate"}, out, err) == 2);
  BOOST_TEST(err.str().find("store.pool_size") != std::string::npos);
  BOOST_TEST(runCli({"wxbridge", "--config"}, out, err) == 2);
  BOOST_TEST(runCli({"wxbridge", "token", "xx"}, out, err) == 2);
}

BOOST_AUTO_TEST_CASE(secrets_never_appear_in_help) {
  std::ostringstream out, err;
  runCli({"wxbridge", "--set", "wechat.oa.secret=topsecretvalue", "--help"}, out, err);
  BOOST_TEST(out.str().find("topsecretvalue") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
