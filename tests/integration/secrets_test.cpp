// Secrets stay secret: a demo-like pipeline (migrate, token, sync, lookup, an MP login, events,
// a direct message, the digest) runs against the real fake-wechat and MariaDB with distinctive
// secret values - the appsecrets, the API key, the store password, the access_tokens the fake
// issues and the session_key of the MP login - at debug log level, and with a few of the
// failures that tempt code into quoting what it was given (a wrong secret, a wrong store
// password, a wrong API key, a used login code). No log line, no response body, no command
// output and no error message may hold any of them; the only places a token may appear are the
// two made to hand it out (`token --show`, GET /v1/tokens/{app}).
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bridge/http/api_keys.h"
#include "integration/notify_env.h"
#include "support/fake_wechat_process.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

const std::string kOaSecret = "SECRET-oa-appsecret-d41f7a";
const std::string kMpSecret = "SECRET-mp-appsecret-93be0c";
const std::string kApiKey = "SECRET-api-key-5c81e2";
const std::string kWrongSecret = "SECRET-wrong-appsecret-e07d11";
const std::string kWrongPassword = "SECRET-wrong-store-password-2a9f";

std::string storeUrl(const StoreSettings& s) {
  return "mysql://" + s.user + "@" + s.host + ":" + std::to_string(s.port) + "/" + s.database;
}

// One pipeline run: where it logs, what it printed and answered, and every secret it met.
class SecretsRun {
 public:
  SecretsRun()
      : fake_({"--followers", "40", "--unionid-ratio", "1", "--fail-rate", "0.2", "--oa-secret",
               kOaSecret, "--mp-secret", kMpSecret}),
        db_(freshStoreSettings("mysql")),
        log_(std::filesystem::temp_directory_path() /
             ("wxb-secrets-" + std::to_string(getpid()) + ".log")) {
    std::filesystem::remove(log_);
    secrets_ = {kOaSecret, kMpSecret, kApiKey, kWrongSecret, kWrongPassword, db_.password};
  }
  ~SecretsRun() { std::filesystem::remove(log_); }

  FakeWechatProcess& fake() { return fake_; }

  std::vector<std::string> sets() const {
    return {"store.url=" + storeUrl(db_), "wechat.api_base=" + fake_.baseUrl(),
            "wechat.oa.appid=wxfakeoa", "wechat.mp.appid=wxfakemp",
            "http.api_keys_sha256=" + ApiKeys::sha256Hex(kApiKey), "notify.digest.template=daily",
            "templates.daily.template_id=TPL_DAILY", "templates.daily.data.keyword1={{summary}}",
            "templates.note.template_id=TPL_NOTE", "templates.note.data.thing1={{params.title}}",
            // Every logger at debug, into one file the test reads at the end.
            "logging.loggers.root.level=debug", "logging.loggers.root.channel=file",
            "logging.channels.file.class=FileChannel",
            "logging.channels.file.path=" + log_.string(),
            "logging.channels.file.formatter.class=PatternFormatter",
            "logging.channels.file.formatter.pattern=[%q] %s: %t"};
  }

  std::map<std::string, std::string> env(const std::string& oaSecret = kOaSecret,
                                         const std::string& password = "") const {
    return {{"WXBRIDGE_WECHAT_OA_SECRET", oaSecret},
            {"WXBRIDGE_WECHAT_MP_SECRET", kMpSecret},
            {"WXBRIDGE_STORE_PASSWORD", password.empty() ? db_.password : password}};
  }

  // Runs `wxbridge --set ... COMMAND` (`extra` sets last, so they win) and keeps its output to
  // search; returns it.
  CommandResult run(const std::vector<std::string>& command,
                    const std::map<std::string, std::string>& environment,
                    const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args;
    for (const auto& s : sets()) args.insert(args.end(), {"--set", s});
    for (const auto& s : extra) args.insert(args.end(), {"--set", s});
    args.insert(args.end(), command.begin(), command.end());
    CommandResult result = runWxbridge(args, environment);
    seen("wxbridge " + command.front() + " stdout", result.out);
    seen("wxbridge " + command.front() + " stderr", result.err);
    return result;
  }
  CommandResult run(const std::vector<std::string>& command) { return run(command, env()); }

  void seen(const std::string& where, const std::string& text) { texts_.push_back({where, text}); }
  void secret(const std::string& value) { secrets_.push_back(value); }

  // Everything logged so far.
  std::string logText() const {
    std::ifstream in(log_);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }

  void checkNothingLeaked() {
    seen("the log file", logText());
    for (const auto& secret : secrets_) {
      BOOST_REQUIRE(secret.size() >= 8);
      for (const auto& [where, text] : texts_) {
        BOOST_TEST(text.find(secret) == std::string::npos,
                   where << " holds a secret (" << secret.substr(0, 6) << "...)");
      }
    }
  }

 private:
  FakeWechatProcess fake_;
  StoreSettings db_;
  std::filesystem::path log_;
  std::vector<std::string> secrets_;
  std::vector<std::pair<std::string, std::string>> texts_;
};

// `wxbridge token APP --show`: the token itself (the one place it is printed).
std::string currentToken(SecretsRun& run, const std::string& app) {
  std::vector<std::string> args;
  for (const auto& s : run.sets()) args.insert(args.end(), {"--set", s});
  args.insert(args.end(), {"token", app, "--show"});
  auto shown = runWxbridge(args, run.env());
  BOOST_REQUIRE_MESSAGE(shown.exitCode == 0, shown.err);
  return lastJsonLine(shown.out).at("access_token").get<std::string>();
}

ListeningProcess::Reply call(SecretsRun& run, const WxbridgeServe& serve, const std::string& method,
                             const std::string& path, const std::string& body = "",
                             const std::string& key = kApiKey) {
  auto reply = serve.request(method, path, body, {{"Authorization", "Bearer " + key}});
  run.seen(method + " " + path + " (" + std::to_string(reply.status) + ")", reply.body);
  return reply;
}

// serve: an MP login, lookups, events, a direct message, refusals. The MP token it hands out
// becomes a secret to look for (GET /v1/tokens/mp is where it is meant to appear, so that one
// body is not searched).
void servePart(SecretsRun& run, const std::string& unionid) {
  for (const auto& [name, value] : run.env()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe serve(run.sets());
  for (const auto& [name, value] : run.env()) unsetenv(name.c_str());
  auto minted = run.fake().postJson("/__fake/codes", {{"unionid", unionid}});
  run.secret(minted.at("session_key").get<std::string>());
  std::string login = nlohmann::json{{"code", minted.at("code")}}.dump();
  BOOST_TEST(call(run, serve, "POST", "/v1/mp/sessions", login).status == 200);
  BOOST_TEST(call(run, serve, "POST", "/v1/mp/sessions", login).status == 400);  // used code
  BOOST_TEST(call(run, serve, "GET", "/v1/accounts/" + unionid).status == 200);
  BOOST_TEST(call(run, serve, "GET", "/v1/accounts/" + unionid, "", kWrongSecret).status == 401);
  nlohmann::json event = {{"event_id", "e1"}, {"unionid", unionid}, {"type", "chat"}};
  BOOST_TEST(call(run, serve, "POST", "/v1/events", event.dump()).status == 202);
  nlohmann::json message = {{"idempotency_key", "m1"},
                            {"unionid", unionid},
                            {"template", "note"},
                            {"params", {{"title", "hello"}}}};
  auto created = call(run, serve, "POST", "/v1/messages", message.dump());
  BOOST_REQUIRE_EQUAL(created.status, 202);
  std::string id =
      std::to_string(nlohmann::json::parse(created.body).at("message_id").get<int64_t>());
  BOOST_TEST(call(run, serve, "GET", "/v1/messages/" + id).status == 200);
  BOOST_TEST(call(run, serve, "GET", "/metrics").status == 200);
  auto mpToken =
      serve.request("GET", "/v1/tokens/mp", "", {{"Authorization", "Bearer " + kApiKey}});
  BOOST_REQUIRE_EQUAL(mpToken.status, 200);
  run.secret(nlohmann::json::parse(mpToken.body).at("access_token").get<std::string>());
  serve.stop();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(secrets)

BOOST_AUTO_TEST_CASE(no_secret_reaches_a_log_line_a_response_or_an_error_message) {
  SecretsRun run;
  BOOST_REQUIRE_EQUAL(run.run({"migrate"}).exitCode, 0);
  BOOST_REQUIRE_EQUAL(run.run({"token", "oa"}).exitCode, 0);
  run.secret(currentToken(run, "oa"));
  auto sync = run.run({"sync"});
  BOOST_REQUIRE_MESSAGE(sync.exitCode == 0, sync.err);
  std::string unionid = run.fake().followers().begin()->second;
  BOOST_TEST(run.run({"lookup", unionid}).exitCode == 0);
  servePart(run, unionid);
  auto digest = run.run({"digest"});
  BOOST_TEST(digest.exitCode == 0, digest.err);
  BOOST_TEST(lastJsonLine(digest.out).at("sent").get<int>() == 1);
  // Failures that tempt code into quoting what it was given.
  BOOST_TEST(run.run({"token", "mp"}).exitCode == 0);
  run.secret(currentToken(run, "mp"));
  auto elsewhere = freshStoreSettings("sqlite");  // no stored token: `token` must fetch
  BOOST_TEST(
      run.run({"token", "oa"}, run.env(kWrongSecret), {"store.url=sqlite:" + elsewhere.sqlitePath})
          .exitCode != 0);
  BOOST_TEST(run.run({"migrate"}, run.env(kOaSecret, kWrongPassword)).exitCode != 0);
  // The pipeline really ran and really logged at debug level, or finding nothing proves nothing.
  BOOST_TEST(run.fake().callCount("/cgi-bin/message/template/send") >= 1);
  BOOST_TEST(run.logText().find("[I] wxb.serve: ") != std::string::npos);
  run.checkNothingLeaked();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
