// The wxbridge binary's commands and exit codes, run as a process: migrate on both backends,
// lookup, token, configuration errors (exit 2 naming the key) and secrets kept out of output.
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "store/open_store.h"
#include "support/fake_wechat_process.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(migrate_works_on_both_backends_and_is_idempotent) {
  for (const std::string& backendName : kBackends) {
    BOOST_TEST_CONTEXT(backendName) {
      StoreSettings db = freshStoreSettings(backendName);
      std::map<std::string, std::string> env = {{"WXBRIDGE_STORE_PASSWORD", db.password}};
      auto first = runWxbridge({"--set", "store.url=" + storeUrl(db), "migrate"}, env);
      BOOST_TEST(first.exitCode == 0, first.err);
      auto report = nlohmann::json::parse(first.out);
      BOOST_TEST(report["dialect"] == backendName);
      BOOST_TEST(report["applied"].size() >= 2u);
      auto second = runWxbridge({"--set", "store.url=" + storeUrl(db), "migrate"}, env);
      BOOST_TEST(nlohmann::json::parse(second.out)["applied"].empty());
      BOOST_TEST(second.err.find(db.password.empty() ? "\x01" : db.password) == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(lookup_prints_the_account_or_exits_1) {
  StoreSettings db = freshStoreSettings("sqlite");
  auto store = openStore(db, wallClock());
  store->migrate();
  store->accounts().upsertFollowers({{"oaCli", "unCli", true}}, 1000);
  auto found = runWxbridge({"--set", "store.url=" + storeUrl(db), "lookup", "unCli"});
  BOOST_TEST(found.exitCode == 0);
  BOOST_TEST(nlohmann::json::parse(found.out)["oa_openid"] == "oaCli");
  BOOST_TEST(runWxbridge({"--set", "store.url=" + storeUrl(db), "lookup", "unNobody"}).exitCode ==
             1);
  BOOST_TEST(runWxbridge({"--set", "store.url=" + storeUrl(db), "lookup", "bad id"}).exitCode == 2);
}

BOOST_AUTO_TEST_CASE(configuration_errors_exit_2_naming_the_key) {
  auto bad = runWxbridge({"--set", "store.pool_size=zero", "migrate"});
  BOOST_TEST(bad.exitCode == 2);
  BOOST_TEST(bad.err.find("store.pool_size") != std::string::npos);
  auto unknown = runWxbridge({"--set", "stor.url=x", "migrate"});
  BOOST_TEST(unknown.exitCode == 2);
  BOOST_TEST(unknown.err.find("stor.url") != std::string::npos);
  auto retention = runWxbridge({"--set", "notify.retention_days=-1", "migrate"});
  BOOST_TEST(retention.exitCode == 2);
  BOOST_TEST(retention.err.find("notify.retention_days") != std::string::npos);
  auto env = runWxbridge({"migrate"}, {{"WXBRIDGE_HTTP_PORT", "99999"}});
  BOOST_TEST(env.exitCode == 2);
  BOOST_TEST(env.err.find("http.port") != std::string::npos);
  BOOST_TEST(runWxbridge({"no-such-command"}).exitCode == 2);
  BOOST_TEST(runWxbridge({"token", "oa"}).exitCode == 2);  // no appid configured
}

// Real-time notices are sent on oa_template only: a subscribe template named for them stops
// the start with exit 2 naming the key.
BOOST_AUTO_TEST_CASE(a_real_time_template_of_another_channel_exits_2_naming_the_key) {
  auto r = runWxbridge({"--set", "wechat.mp.appid=wxfakemp", "--set", "wechat.mp.secret=s", "--set",
                        "templates.n.channel=mp_subscribe", "--set", "templates.n.template_id=T",
                        "--set", "templates.n.data.thing1=x", "--set", "templates.o.template_id=TO",
                        "--set", "templates.o.data.keyword1=x", "--set", "notify.realtime.single=o",
                        "--set", "notify.realtime.many=n", "migrate"});
  BOOST_TEST(r.exitCode == 2);
  BOOST_TEST(r.err.find("notify.realtime.many") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("oa_template") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(bad_logging_keys_exit_2_naming_the_key_instead_of_aborting) {
  auto level = runWxbridge({"--set", "logging.loggers.root.level=loud", "migrate"});
  BOOST_TEST(level.exitCode == 2);
  BOOST_TEST(level.err.find("logging.loggers.root.level") != std::string::npos, level.err);
  auto channel = runWxbridge({"--set", "logging.loggers.root.channel=nochannel", "migrate"});
  BOOST_TEST(channel.exitCode == 2);
  BOOST_TEST(channel.err.find("nochannel") != std::string::npos, channel.err);
  auto cls = runWxbridge({"--set", "logging.channels.c.class=NoSuchChannel", "--set",
                          "logging.loggers.root.channel=c", "migrate"});
  BOOST_TEST(cls.exitCode == 2);
  BOOST_TEST(cls.err.find("NoSuchChannel") != std::string::npos, cls.err);
  // Was exit 0 for migrate (no message logged) and exit 1 "File not found" for serve.
  auto file = runWxbridge({"--set", "logging.channels.f.class=FileChannel", "--set",
                           "logging.channels.f.path=/nonexistent-wxb-dir/x.log", "--set",
                           "logging.loggers.root.channel=f", "migrate"});
  BOOST_TEST(file.exitCode == 2);
  BOOST_TEST(file.err.find("logging.channels.f.path") != std::string::npos, file.err);
}

BOOST_AUTO_TEST_CASE(an_unwritable_pidfile_exits_2_naming_the_option) {
  StoreSettings db = freshStoreSettings("sqlite");
  auto r = runWxbridge({"--set", "store.url=" + storeUrl(db), "--set", "http.port=0", "serve",
                        "--pidfile=/nonexistent-wxb-dir/serve.pid"});
  BOOST_TEST(r.exitCode == 2);  // was 78 (Poco's EXIT_CONFIG) with "File not found"
  BOOST_TEST(r.err.find("--pidfile") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("/nonexistent-wxb-dir") != std::string::npos, r.err);
}

// usertest5 F3: a second serve given the pid file of a running one (a daemon started twice by
// an init script) used to overwrite the file, fail to bind, and delete the file on exit: the
// running serve could no longer be stopped by its pid file. It now refuses before touching it.
BOOST_AUTO_TEST_CASE(a_pidfile_naming_a_running_serve_is_left_alone_and_the_second_exits_1) {
  StoreSettings db = freshStoreSettings("sqlite");
  WxbridgeServe first({"store.url=" + storeUrl(db)});
  const std::string pidfile = db.sqlitePath + ".pid";
  std::ofstream(pidfile) << first.pid() << "\n";
  auto second =
      runWxbridge({"--set", "store.url=" + storeUrl(db), "--set",
                   "http.port=" + std::to_string(first.port()), "serve", "--pidfile=" + pidfile});
  BOOST_TEST(second.exitCode == 1, second.err);
  BOOST_TEST(second.err.find("names the running process " + std::to_string(first.pid())) !=
                 std::string::npos,
             second.err);
  std::ifstream in(pidfile);
  pid_t kept = 0;
  in >> kept;
  BOOST_TEST(kept == first.pid());
  BOOST_TEST(first.call("GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(token_command_fetches_once_and_hides_the_token_unless_asked) {
  FakeWechatProcess fake;
  StoreSettings db = freshStoreSettings("sqlite");
  std::vector<std::string> args = {
      "--set", "store.url=" + storeUrl(db), "--set", "wechat.api_base=" + fake.baseUrl(),
      "--set", "wechat.oa.appid=wxfakeoa",  "token", "oa"};
  std::map<std::string, std::string> env = {{"WXBRIDGE_WECHAT_OA_SECRET", "oasecret"}};
  auto first = runWxbridge(args, env);
  BOOST_TEST(first.exitCode == 0, first.err);
  auto second = runWxbridge(args, env);
  BOOST_TEST(fake.stats()["tokens_issued"]["oa"] == 1);
  auto status = nlohmann::json::parse(second.out);
  BOOST_TEST(!status.contains("access_token"));
  BOOST_TEST(status["version"] == 1);
  BOOST_TEST((first.err + second.err).find("oasecret") == std::string::npos);
  args.push_back("--show");
  auto shown = nlohmann::json::parse(runWxbridge(args, env).out);
  BOOST_TEST(shown["access_token"].get<std::string>().size() > 20u);
  BOOST_TEST(shown["fingerprint"] == status["fingerprint"]);
  auto wrongSecret = runWxbridge(
      {"--set", "store.url=" + storeUrl(freshStoreSettings("sqlite")), "--set",
       "wechat.api_base=" + fake.baseUrl(), "--set", "wechat.oa.appid=wxfakeoa", "token", "oa"},
      {{"WXBRIDGE_WECHAT_OA_SECRET", "wrong-secret-value"}});
  BOOST_TEST(wrongSecret.exitCode == 1);
  BOOST_TEST(wrongSecret.err.find("wrong-secret-value") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
