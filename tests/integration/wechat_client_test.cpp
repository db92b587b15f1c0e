// WechatClient against the real fake-wechat over loopback (happy paths, token invalidation,
// injected faults, quotas, the IP whitelist) and against a tiny canned-answer server for
// malformed responses and connection handling. Backoff waits are recorded, not slept.
#include "wechat/wechat_client.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support/fake_wechat_process.h"

using wxb::App;
using wxb::WechatClient;
using wxb::WechatClientSettings;
using wxb::WechatError;
using wxb::test::FakeWechatProcess;

namespace {

// --- helpers shared by the tests -------------------------------------------------------------

WechatClientSettings settingsFor(const std::string& baseUrl) {
  WechatClientSettings s;
  s.apiBase = baseUrl;
  s.oaAppid = "wxfakeoa";
  s.oaSecret = "oasecret";
  s.mpAppid = "wxfakemp";
  s.mpSecret = "mpsecret";
  s.connectTimeoutMs = 2000;
  s.readTimeoutMs = 3000;
  s.maxAttempts = 4;
  s.backoffBaseMs = 20;
  s.backoffMaxMs = 200;
  return s;
}

// Records every HTTP attempt the client reports through onCall.
struct CallLog {
  std::mutex mutex;
  std::vector<std::pair<std::string, int>> calls;  // api, errcode

  wxb::CallObserver observer() {
    return [this](const std::string& api, int errcode, int64_t) {
      std::lock_guard lock(mutex);
      calls.emplace_back(api, errcode);
    };
  }
  int count(const std::string& api, std::optional<int> errcode = std::nullopt) {
    std::lock_guard lock(mutex);
    int n = 0;
    for (const auto& [a, e] : calls) n += a == api && (!errcode || e == *errcode);
    return n;
  }
};

// Records backoff waits instead of sleeping.
struct Waits {
  std::mutex mutex;
  std::vector<int64_t> ms;
  wxb::Sleeper sleeper() {
    return [this](int64_t wait) {
      std::lock_guard lock(mutex);
      ms.push_back(wait);
    };
  }
};

// A TokenSource the way the real service behaves at its simplest: one cached stable token per
// app, fetched through a token-free client, dropped on rejection only if still current.
class CountingTokenSource : public wxb::TokenSource {
 public:
  explicit CountingTokenSource(const WechatClientSettings& settings) : fetcher_(settings) {}
  wxb::WechatResult<std::string> accessToken(App app) override {
    std::lock_guard lock(mutex_);
    std::string& cached = cached_[static_cast<int>(app)];
    if (cached.empty()) {
      ++fetches;
      auto token = fetcher_.fetchStableToken(app, false);
      if (!token) return std::unexpected(token.error());
      cached = token->token;
    }
    return cached;
  }
  void tokenRejected(App app, const std::string& token) override {
    std::lock_guard lock(mutex_);
    ++rejections;
    if (cached_[static_cast<int>(app)] == token) cached_[static_cast<int>(app)].clear();
  }
  int fetches = 0;
  int rejections = 0;

 private:
  std::mutex mutex_;
  WechatClient fetcher_;
  std::string cached_[2];
};

// Hands out one fixed token and counts rejections (for servers that check no token).
class FixedTokenSource : public wxb::TokenSource {
 public:
  explicit FixedTokenSource(std::string token) : token_(std::move(token)) {}
  wxb::WechatResult<std::string> accessToken(App) override { return token_; }
  void tokenRejected(App, const std::string&) override { ++rejections; }
  int rejections = 0;

 private:
  std::string token_;
};

// Captures what the client logs through "wxb.wechat", at every level, for one test.
class CaptureChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message.getPriority(), message.getText());
  }
  std::vector<std::pair<int, std::string>> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<int, std::string>> lines_;
};

class LogCapture {
 public:
  LogCapture() : logger_(Poco::Logger::get("wxb.wechat")), channel_(new CaptureChannel) {
    previousChannel_ = logger_.getChannel();
    previousLevel_ = logger_.getLevel();
    logger_.setChannel(channel_);
    logger_.setLevel(Poco::Message::PRIO_TRACE);
  }
  ~LogCapture() {
    logger_.setChannel(previousChannel_);
    logger_.setLevel(previousLevel_);
  }
  std::vector<std::pair<int, std::string>> lines() { return channel_->lines(); }
  std::string all() {
    std::string text;
    for (const auto& [priority, line] : lines()) text += line + "\n";
    return text;
  }

 private:
  Poco::Logger& logger_;
  Poco::AutoPtr<CaptureChannel> channel_;
  Poco::Channel::Ptr previousChannel_;
  int previousLevel_;
};

// Answers each path with a canned status and body, for responses fake-wechat never gives.
class CannedServer {
 public:
  // With `tls`, it speaks https only.
  explicit CannedServer(int keepAliveTimeoutMs = 10000, Poco::Net::Context::Ptr tls = nullptr)
      : state_(std::make_shared<State>()), scheme_(tls ? "https" : "http") {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(keepAliveTimeoutMs * 1000LL));
    const Poco::Net::SocketAddress loopback("127.0.0.1", 0);
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(loopback, 64, tls) : Poco::Net::ServerSocket(loopback);
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
    server_->start();
  }
  ~CannedServer() { server_->stopAll(true); }
  std::string baseUrl() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
  void answer(const std::string& path, int status, std::string body) {
    std::lock_guard lock(state_->mutex);
    state_->answers[path] = {status, std::move(body)};
  }
  int hits(const std::string& path) {
    std::lock_guard lock(state_->mutex);
    return state_->hits[path];
  }

 private:
  struct State {
    std::mutex mutex;
    std::map<std::string, std::pair<int, std::string>> answers;
    std::map<std::string, int> hits;
  };
  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(std::shared_ptr<State> s) : state(std::move(s)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      std::string ignored;
      Poco::StreamCopier::copyToString(request.stream(), ignored);
      const std::string path = Poco::URI(request.getURI()).getPath();
      std::pair<int, std::string> canned{404, "{}"};
      {
        std::lock_guard lock(state->mutex);
        ++state->hits[path];
        if (auto it = state->answers.find(path); it != state->answers.end()) canned = it->second;
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(canned.first));
      response.setContentType("application/json");
      response.sendBuffer(canned.second.data(), canned.second.size());
    }
    std::shared_ptr<State> state;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(std::shared_ptr<State> s) : state(std::move(s)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(state);
    }
    std::shared_ptr<State> state;
  };

  std::shared_ptr<State> state_;
  std::string scheme_;
  int port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

// A throwaway self-signed certificate for 127.0.0.1 (made with the openssl tool).
struct SelfSignedCert {
  SelfSignedCert() {
    char pattern[] = "/tmp/wxb-tls-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key() + " -out " + cert() + " 2>/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
  }
  ~SelfSignedCert() { std::filesystem::remove_all(dir); }
  std::string key() const { return dir + "/key.pem"; }
  std::string cert() const { return dir + "/cert.pem"; }
  Poco::Net::Context::Ptr serverContext() const {
    return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key(), cert(), "",
                                  Poco::Net::Context::VERIFY_NONE);
  }
  std::string dir;
};

template <typename T>
std::optional<WechatError> errorOf(const wxb::WechatResult<T>& result) {
  if (result) return std::nullopt;
  return result.error();
}

std::string describe(const std::optional<WechatError>& error) {
  return error ? error->describe() : std::string("success");
}

int statCalls(const FakeWechatProcess& fake, const std::string& path) {
  return fake.stats()["calls"].value(path, 0);
}

int statErrcode(const FakeWechatProcess& fake, const std::string& code) {
  return fake.stats()["errcodes"].value(code, 0);
}

// Current followers as the fake lists them: openid -> unionid ("" without one).
std::map<std::string, std::string> fakeFollowers(const FakeWechatProcess& fake) {
  std::map<std::string, std::string> followers;
  for (const nlohmann::json& line : fake.getNdjson("/__fake/followers")) {
    followers[line.at("openid").get<std::string>()] = line.value("unionid", std::string());
  }
  return followers;
}

// Unsubscribes `openid` from the OA on the fake's side.
void unfollow(const FakeWechatProcess& fake, const std::string& openid) {
  fake.postJson("/__fake/followers", {{"remove", {openid}}});
}

// Replaces the fake's fault rates while it runs.
void setFaultRates(const FakeWechatProcess& fake, const nlohmann::json& rates) {
  fake.postJson("/__fake/config", rates);
}

std::vector<std::string> allFollowerOpenids(WechatClient& client) {
  std::vector<std::string> openids;
  std::string next;
  for (int page = 0; page < 1000; ++page) {
    auto result = client.getFollowers(next);
    BOOST_REQUIRE_MESSAGE(result, describe(errorOf(result)));
    openids.insert(openids.end(), result->openids.begin(), result->openids.end());
    if (result->last()) break;
    next = result->nextOpenid;
  }
  return openids;
}

wxb::TemplateMessage templateTo(const std::string& openid, const std::string& clientMsgId) {
  wxb::TemplateMessage message;
  message.touser = openid;
  message.templateId = "tmpl_digest";
  message.miniprogram = wxb::MiniProgramLink{"wxfakemp", "pages/inbox/index?from=digest"};
  message.clientMsgId = clientMsgId;
  message.data = {{"keyword1", "3 new replies"}, {"keyword2", "2024-05-01 08:00"}};
  return message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wechat_client)

// --- happy paths against fake-wechat ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(fetches_classic_and_stable_tokens_for_both_apps) {
  FakeWechatProcess fake;
  WechatClient client(settingsFor(fake.baseUrl()));
  auto classic1 = client.fetchToken(App::Oa);
  auto classic2 = client.fetchToken(App::Oa);
  auto stable1 = client.fetchStableToken(App::Mp, false);
  auto stable2 = client.fetchStableToken(App::Mp, false);
  BOOST_REQUIRE_MESSAGE(classic1 && classic2, describe(errorOf(classic2)));
  BOOST_REQUIRE_MESSAGE(stable1 && stable2, describe(errorOf(stable2)));
  BOOST_TEST(classic1->token != classic2->token);  // every classic fetch rotates
  BOOST_TEST(stable1->token == stable2->token);    // force_refresh:false does not
  BOOST_TEST(stable1->expiresInSeconds > 0);
  BOOST_TEST(stable1->expiresInSeconds <= 7200);
  const nlohmann::json issued = fake.stats()["tokens_issued"];
  BOOST_TEST(issued["oa"].get<int>() == 2);
  BOOST_TEST(issued["mp"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(wrong_appsecret_is_permanent_and_never_echoed) {
  FakeWechatProcess fake;
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  settings.oaSecret = "not-the-secret-s3cr3t";
  WechatClient client(settings);
  LogCapture logs;
  auto stable = client.fetchStableToken(App::Oa, false);
  auto classic = client.fetchToken(App::Oa);
  BOOST_REQUIRE(!stable);
  BOOST_REQUIRE(!classic);
  for (const WechatError& error : {stable.error(), classic.error()}) {
    BOOST_TEST(kindName(error.kind) == std::string("permanent"));  // not token_invalid: no token
    BOOST_TEST(error.errcode == 40125);
    BOOST_TEST(error.describe().find("s3cr3t") == std::string::npos);
  }
  BOOST_TEST(logs.all().find("s3cr3t") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(pages_through_every_follower_then_batchgets_their_unionids) {
  FakeWechatProcess fake({"--followers", "250", "--page-size", "100", "--unionid-ratio", "0.8"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::vector<std::string> openids = allFollowerOpenids(client);
  const std::map<std::string, std::string> expected = fakeFollowers(fake);
  BOOST_TEST(openids.size() == 250u);
  BOOST_TEST(std::set<std::string>(openids.begin(), openids.end()).size() == 250u);
  for (const std::string& openid : openids) BOOST_TEST_REQUIRE(expected.count(openid) == 1u);

  auto batch = client.batchGetUserInfo({openids.begin(), openids.begin() + 100});
  BOOST_REQUIRE_MESSAGE(batch, describe(errorOf(batch)));
  BOOST_TEST(batch->size() == 100u);
  int withUnionid = 0;
  for (const wxb::UserInfo& user : *batch) {
    BOOST_TEST(user.subscribed);
    BOOST_TEST(user.unionid.value_or("") == expected.at(user.openid));
    withUnionid += user.unionid.has_value();
  }
  BOOST_TEST(withUnionid > 50);  // about 80 of 100
  BOOST_TEST(withUnionid < 100);
  auto one = client.userInfo(openids.front());
  BOOST_REQUIRE_MESSAGE(one, describe(errorOf(one)));
  BOOST_TEST(one->openid == openids.front());
  BOOST_TEST(one->subscribeTime > 0);
  BOOST_TEST(tokens.fetches == 1);  // one token served every call
}

BOOST_AUTO_TEST_CASE(batchget_of_101_openids_is_refused_before_any_request) {
  FakeWechatProcess fake;
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  FixedTokenSource tokens("unused");
  WechatClient client(settings, tokens);
  std::vector<std::string> openids;
  for (int i = 0; i < 101; ++i) openids.push_back("o" + std::to_string(100000 + i));
  auto result = client.batchGetUserInfo(openids);
  BOOST_REQUIRE(!result);
  BOOST_TEST(result.error().api == "/cgi-bin/user/info/batchget");
  BOOST_TEST(kindName(result.error().kind) == std::string("permanent"));
  BOOST_TEST(result.error().message.find("101") != std::string::npos);
  BOOST_TEST(statCalls(fake, "/cgi-bin/user/info/batchget") == 0);
}

BOOST_AUTO_TEST_CASE(sends_template_message_that_the_platform_records_once_per_client_msg_id) {
  FakeWechatProcess fake({"--followers", "5"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string openid = fakeFollowers(fake).begin()->first;
  auto first = client.sendTemplate(templateTo(openid, "msg-42"));
  auto again = client.sendTemplate(templateTo(openid, "msg-42"));
  BOOST_REQUIRE_MESSAGE(first, describe(errorOf(first)));
  BOOST_REQUIRE_MESSAGE(again, describe(errorOf(again)));
  BOOST_TEST(*first > (int64_t{1} << 53));  // the fake's msgids do not fit a double
  BOOST_TEST(*again == *first);
  const auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 1u);
  const nlohmann::json& body = delivered[0]["body"];
  BOOST_TEST(delivered[0]["api"].get<std::string>() == "template");
  BOOST_TEST(body["touser"].get<std::string>() == openid);
  BOOST_TEST(body["client_msg_id"].get<std::string>() == "msg-42");
  BOOST_TEST(body["miniprogram"]["pagepath"].get<std::string>() == "pages/inbox/index?from=digest");
  BOOST_TEST(body["data"]["keyword1"]["value"].get<std::string>() == "3 new replies");
}

BOOST_AUTO_TEST_CASE(template_to_a_user_who_unfollowed_is_permanent_43004) {
  FakeWechatProcess fake({"--followers", "5"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string openid = fakeFollowers(fake).begin()->first;
  unfollow(fake, openid);
  auto result = client.sendTemplate(templateTo(openid, "msg-1"));
  BOOST_REQUIRE(!result);
  BOOST_TEST(result.error().errcode == 43004);
  BOOST_TEST(kindName(result.error().kind) == std::string("permanent"));
  BOOST_TEST(!result.error().transient());
  BOOST_TEST(result.error().describe().find("errcode 43004") != std::string::npos);
  BOOST_TEST(statCalls(fake, "/cgi-bin/message/template/send") == 1);  // not retried
}

BOOST_AUTO_TEST_CASE(subscribe_message_spends_a_grant_and_fails_43101_without_one) {
  FakeWechatProcess fake;
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string mpOpenid = "oMPuser0000000000000000000001";
  fake.postJson("/__fake/grants",
                {{"mp_openid", mpOpenid}, {"template_id", "tmpl_sub"}, {"count", 1}});
  wxb::SubscribeMessage message;
  message.touser = mpOpenid;
  message.templateId = "tmpl_sub";
  message.page = "pages/inbox/index";
  message.data = {{"thing1", "New reply"}};
  auto first = client.sendSubscribe(message);
  auto second = client.sendSubscribe(message);
  BOOST_REQUIRE_MESSAGE(first, describe(errorOf(first)));
  BOOST_REQUIRE(!second);
  BOOST_TEST(second.error().errcode == 43101);
  BOOST_TEST(tokens.fetches == 1);
  const auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 1u);
  BOOST_TEST(delivered[0]["body"]["data"]["thing1"]["value"].get<std::string>() == "New reply");
}

BOOST_AUTO_TEST_CASE(jscode2session_returns_unionid_and_a_reused_code_gives_40163) {
  FakeWechatProcess fake;
  WechatClient client(settingsFor(fake.baseUrl()));
  const std::string unionid = "oUNIONabcdefghijklmnopqrstu1";
  const std::string code = fake.mintLoginCode("oMPloginuser00000000000000001", unionid);
  auto session = client.jscode2session(code);
  BOOST_REQUIRE_MESSAGE(session, describe(errorOf(session)));
  BOOST_TEST(session->openid == "oMPloginuser00000000000000001");
  BOOST_TEST(session->unionid.value_or("") == unionid);
  BOOST_TEST(!session->sessionKey.empty());
  auto reused = client.jscode2session(code);
  BOOST_REQUIRE(!reused);
  BOOST_TEST(reused.error().errcode == 40163);
  BOOST_TEST(reused.error().describe().find(session->sessionKey) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(quota_reached_is_kind_quota_unretried_until_clear_quota) {
  FakeWechatProcess fake({"--followers", "5", "--quota", "template_send=2"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string openid = fakeFollowers(fake).begin()->first;
  BOOST_REQUIRE(client.sendTemplate(templateTo(openid, "q1")));
  BOOST_REQUIRE(client.sendTemplate(templateTo(openid, "q2")));
  auto refused = client.sendTemplate(templateTo(openid, "q3"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(kindName(refused.error().kind) == std::string("quota"));
  BOOST_TEST(refused.error().errcode == 45009);
  BOOST_TEST(calls.count("/cgi-bin/message/template/send") == 3);  // no retry of 45009
  BOOST_TEST(calls.count("/cgi-bin/message/template/send", 45009) == 1);

  auto quota = client.quotaGet("/cgi-bin/message/template/send");
  BOOST_REQUIRE_MESSAGE(quota, describe(errorOf(quota)));
  BOOST_TEST(quota->dailyLimit == 2);
  BOOST_TEST(quota->used == 2);
  BOOST_TEST(quota->remain == 0);
  auto cleared = client.clearQuota();
  BOOST_REQUIRE_MESSAGE(cleared, describe(errorOf(cleared)));
  BOOST_TEST(client.sendTemplate(templateTo(openid, "q4")).has_value());
}

// --- token invalidation ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(invalidated_token_is_reported_refreshed_and_the_call_retried_once) {
  FakeWechatProcess fake({"--followers", "30"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  BOOST_REQUIRE(client.getFollowers(""));
  fake.post("/__fake/invalidate-token", R"({"app":"oa"})");
  auto page = client.getFollowers("");
  BOOST_REQUIRE_MESSAGE(page, describe(errorOf(page)));
  BOOST_TEST(page->count == 30);
  BOOST_TEST(tokens.rejections == 1);
  BOOST_TEST(tokens.fetches == 2);
  BOOST_TEST(calls.count("/cgi-bin/user/get") == 3);  // ok, rejected, ok
  BOOST_TEST(calls.count("/cgi-bin/user/get", 0) == 2);
}

BOOST_AUTO_TEST_CASE(token_still_rejected_after_one_refresh_is_token_invalid) {
  FakeWechatProcess fake;
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  FixedTokenSource tokens("forged-token-that-the-platform-never-issued");
  WechatClient client(settings, tokens);
  LogCapture logs;
  auto result = client.getFollowers("");
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("token_invalid"));
  BOOST_TEST((result.error().errcode == 40001 || result.error().errcode == 40014));
  BOOST_TEST(tokens.rejections == 2);
  BOOST_TEST(calls.count("/cgi-bin/user/get") == 2);  // the call and its one retry
  BOOST_TEST(logs.all().find("forged-token") == std::string::npos);
  BOOST_TEST(result.error().describe().find("forged-token") == std::string::npos);
}

// --- faults ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(busy_and_failing_platform_is_retried_with_backoff_until_success) {
  FakeWechatProcess fake({"--followers", "20", "--busy-rate", "0.25", "--fail-rate", "0.15"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  settings.maxAttempts = 12;
  CallLog calls;
  settings.onCall = calls.observer();
  Waits waits;
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens, waits.sleeper());
  LogCapture logs;  // every retry is logged at debug level
  const std::vector<std::string> openids = allFollowerOpenids(client);
  BOOST_REQUIRE(openids.size() == 20u);
  for (int i = 0; i < 20; ++i) {
    auto user = client.userInfo(openids[static_cast<size_t>(i)]);
    BOOST_REQUIRE_MESSAGE(user, describe(errorOf(user)));
  }
  const int busy = calls.count("/cgi-bin/user/info", -1);
  const int failed = calls.count("/cgi-bin/user/info", -500);
  BOOST_TEST(busy > 0);
  BOOST_TEST(failed > 0);
  BOOST_TEST(calls.count("/cgi-bin/user/info") == 20 + busy + failed);
  BOOST_TEST(statCalls(fake, "/cgi-bin/user/info") == 20 + busy + failed);
  BOOST_TEST(statErrcode(fake, "-1") >= busy);
  const std::string logged = logs.all();
  BOOST_TEST(logged.find("attempt 1 failed") != std::string::npos);
  BOOST_TEST(logged.find(*tokens.accessToken(App::Oa)) == std::string::npos);
  BOOST_TEST(logged.find("access_token=") == std::string::npos);
  BOOST_TEST(logged.find("oasecret") == std::string::npos);
  std::lock_guard lock(waits.mutex);
  BOOST_TEST(waits.ms.size() >= static_cast<size_t>(busy + failed));
  for (int64_t ms : waits.ms) BOOST_TEST((ms >= 0 && ms <= settings.backoffMaxMs));
}

BOOST_AUTO_TEST_CASE(always_busy_platform_gives_busy_after_max_attempts) {
  FakeWechatProcess fake({"--busy-rate", "1"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  settings.maxAttempts = 3;
  settings.backoffBaseMs = 100;
  settings.backoffMaxMs = 150;
  CallLog calls;
  settings.onCall = calls.observer();
  Waits waits;
  WechatClient client(settings, waits.sleeper());
  auto result = client.fetchStableToken(App::Oa, false);
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("busy"));
  BOOST_TEST(result.error().transient());
  BOOST_TEST(calls.count("/cgi-bin/stable_token", -1) == 3);
  std::lock_guard lock(waits.mutex);
  BOOST_REQUIRE(waits.ms.size() == 2u);
  BOOST_TEST(waits.ms[0] <= 100);  // full jitter under base * 2^0
  BOOST_TEST(waits.ms[1] <= 150);  // capped by backoffMaxMs
}

BOOST_AUTO_TEST_CASE(unanswered_calls_give_transport_after_bounded_attempts_and_time) {
  FakeWechatProcess fake({"--timeout-rate", "1", "--timeout-hold-ms", "3000"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  settings.readTimeoutMs = 250;
  settings.maxAttempts = 3;
  CallLog calls;
  settings.onCall = calls.observer();
  Waits waits;
  WechatClient client(settings, waits.sleeper());
  const auto start = std::chrono::steady_clock::now();
  auto result = client.fetchStableToken(App::Oa, false);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("transport"));
  BOOST_TEST(result.error().message.find("timeout") != std::string::npos);
  BOOST_TEST(calls.count("/cgi-bin/stable_token", wxb::kCallTransportFailed) == 3);
  BOOST_TEST(elapsed >= std::chrono::milliseconds(3 * 250));
  BOOST_TEST(elapsed < std::chrono::milliseconds(3 * 250 + 1500));
}

BOOST_AUTO_TEST_CASE(unanswered_subscribe_send_is_not_resent) {
  FakeWechatProcess fake;
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  settings.readTimeoutMs = 250;
  CallLog calls;
  settings.onCall = calls.observer();
  CountingTokenSource tokens(settingsFor(fake.baseUrl()));
  WechatClient client(settings, tokens);
  BOOST_REQUIRE(tokens.accessToken(App::Mp));  // fetched before the platform stops answering
  setFaultRates(fake, {{"timeout_rate", 1.0}});
  wxb::SubscribeMessage message;
  message.touser = "oMPuser0000000000000000000001";
  message.templateId = "tmpl_sub";
  message.data = {{"thing1", "x"}};
  auto result = client.sendSubscribe(message);
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("transport"));
  BOOST_TEST(calls.count("/cgi-bin/message/subscribe/send") == 1);  // it may have been delivered
}

BOOST_AUTO_TEST_CASE(caller_outside_ip_whitelist_gets_ip_whitelist_and_a_log_naming_the_ip) {
  FakeWechatProcess fake({"--allow-ip", "10.0.0.0/8"});
  WechatClient client(settingsFor(fake.baseUrl()));
  LogCapture logs;
  auto result = client.fetchStableToken(App::Oa, false);
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("ip_whitelist"));
  BOOST_TEST(result.error().errcode == 40164);
  bool logged = false;
  for (const auto& [priority, line] : logs.lines()) {
    logged |= priority == Poco::Message::PRIO_ERROR &&
              line.find("egress IP 127.0.0.1") != std::string::npos &&
              line.find("whitelist") != std::string::npos;
  }
  BOOST_TEST_MESSAGE(logs.all());
  BOOST_TEST(logged);
}

// --- responses fake-wechat never gives ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(malformed_responses_are_bad_response_naming_the_api) {
  CannedServer server;
  WechatClientSettings settings = settingsFor(server.baseUrl());
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  using Call = std::function<std::optional<WechatError>(WechatClient&)>;
  const Call followers = [](WechatClient& c) { return errorOf(c.getFollowers("")); };
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::vector<std::tuple<std::string, std::string, Call>> cases = {
      {"/cgi-bin/user/get", "<html>502 Bad Gateway</html>", followers},
      {"/cgi-bin/user/get", "", followers},
      {"/cgi-bin/user/get", "[1,2,3]", followers},
      {"/cgi-bin/user/get", deep, followers},
      {"/cgi-bin/user/get", R"({"total":3,"count")", followers},
      {"/cgi-bin/user/get", R"({"total":"3","count":1,"data":{"openid":["a"]}})", followers},
      {"/cgi-bin/user/get", R"({"total":3,"count":2,"data":{"openid":["a"]}})", followers},
      {"/cgi-bin/user/get", R"({"total":3,"count":1,"data":{"openid":[7]}})", followers},
      {"/cgi-bin/user/get", R"({"errcode":"0","total":0,"count":0})", followers},
      {"/cgi-bin/user/info", R"({"subscribe":1,"openid":"has space"})",
       [](WechatClient& c) { return errorOf(c.userInfo("oAbc")); }},
      {"/cgi-bin/user/info", R"({"subscribe":true,"openid":"oAbc"})",
       [](WechatClient& c) { return errorOf(c.userInfo("oAbc")); }},
      {"/cgi-bin/user/info/batchget", R"({"user_info_list":{"openid":"oAbc"}})",
       [](WechatClient& c) { return errorOf(c.batchGetUserInfo({"oAbc"})); }},
      {"/cgi-bin/message/template/send", R"({"errcode":0,"errmsg":"ok","msgid":"12"})",
       [](WechatClient& c) { return errorOf(c.sendTemplate(templateTo("oAbc", ""))); }},
      {"/cgi-bin/token", R"({"access_token":"","expires_in":7200})",
       [](WechatClient& c) { return errorOf(c.fetchToken(App::Oa)); }},
      {"/cgi-bin/stable_token", R"({"access_token":"abc","expires_in":7200.5})",
       [](WechatClient& c) { return errorOf(c.fetchStableToken(App::Mp, false)); }},
      {"/sns/jscode2session", R"({"session_key":"SESSIONKEYVALUE","unionid":"oU1"})",
       [](WechatClient& c) { return errorOf(c.jscode2session("code1")); }},
      {"/cgi-bin/openapi/quota/get", R"({"quota":{"daily_limit":-5,"used":0,"remain":0}})",
       [](WechatClient& c) { return errorOf(c.quotaGet("/cgi-bin/message/template/send")); }},
  };
  for (const auto& [path, body, call] : cases) {
    server.answer(path, 200, body);
    std::optional<WechatError> error;
    BOOST_REQUIRE_NO_THROW(error = call(client));
    BOOST_TEST_CONTEXT(path << " answering " << body.substr(0, 60)) {
      BOOST_REQUIRE(error.has_value());
      BOOST_TEST(kindName(error->kind) == std::string("bad_response"));
      BOOST_TEST(error->api == path);
      BOOST_TEST(error->describe().find("SESSIONKEYVALUE") == std::string::npos);
    }
  }
  BOOST_TEST(tokens.rejections == 0);
}

BOOST_AUTO_TEST_CASE(http_5xx_is_retried_and_other_statuses_are_not) {
  CannedServer server;
  WechatClientSettings settings = settingsFor(server.baseUrl());
  settings.maxAttempts = 3;
  FixedTokenSource tokens("token-for-canned-server");
  Waits waits;
  WechatClient client(settings, tokens, waits.sleeper());
  server.answer("/cgi-bin/user/get", 503, "busy");
  server.answer("/cgi-bin/user/info", 404, "not here");
  auto unavailable = client.getFollowers("");
  auto missing = client.userInfo("oAbc");
  BOOST_REQUIRE(!unavailable);
  BOOST_REQUIRE(!missing);
  BOOST_TEST(unavailable.error().httpStatus == 503);
  BOOST_TEST(unavailable.error().transient());
  BOOST_TEST(server.hits("/cgi-bin/user/get") == 3);
  BOOST_TEST(missing.error().httpStatus == 404);
  BOOST_TEST(!missing.error().transient());
  BOOST_TEST(server.hits("/cgi-bin/user/info") == 1);
  BOOST_TEST(missing.error().describe() == "user/info: HTTP 404");
  BOOST_TEST(unavailable.error().describe() == "user/get: HTTP 503 (gave up after 3 attempts)");
}

BOOST_AUTO_TEST_CASE(platform_errcodes_map_to_their_kinds) {
  CannedServer server;
  WechatClientSettings settings = settingsFor(server.baseUrl());
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  const std::vector<std::pair<int, std::string>> expected = {
      {45009, "quota"},     {45011, "frequency"}, {40164, "ip_whitelist"},
      {40003, "permanent"}, {47003, "permanent"}, {42001, "token_invalid"}};
  for (const auto& [errcode, kind] : expected) {
    server.answer(
        "/cgi-bin/message/template/send", 200,
        nlohmann::json{{"errcode", errcode},
                       {"errmsg", "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist"}}
            .dump());
    auto result = client.sendTemplate(templateTo("oAbc", "m1"));
    BOOST_REQUIRE(!result);
    BOOST_TEST(kindName(result.error().kind) == kind);
    BOOST_TEST(result.error().errcode == errcode);
  }
  BOOST_TEST(tokens.rejections == 2);  // 42001: the token and the retry's token
}

// --- connections -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sequential_calls_reuse_one_keep_alive_connection) {
  FakeWechatProcess fake({"--followers", "3"});
  WechatClientSettings settings = settingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  for (int i = 0; i < 10; ++i) BOOST_REQUIRE(client.getFollowers(""));
  BOOST_TEST(client.connectionsCreated() == 1);
}

BOOST_AUTO_TEST_CASE(connection_closed_by_the_server_while_idle_is_replaced_transparently) {
  CannedServer server(100);  // the server drops idle connections after 100 ms
  server.answer("/cgi-bin/user/get", 200, R"({"total":0,"count":0})");
  WechatClientSettings settings = settingsFor(server.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  BOOST_REQUIRE(client.getFollowers(""));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto again = client.getFollowers("");
  BOOST_REQUIRE_MESSAGE(again, describe(errorOf(again)));
  BOOST_TEST(client.connectionsCreated() == 2);
  BOOST_TEST(calls.count("/cgi-bin/user/get", wxb::kCallTransportFailed) == 0);
  BOOST_TEST(server.hits("/cgi-bin/user/get") == 2);
}

BOOST_AUTO_TEST_CASE(https_trusts_a_peer_only_when_its_certificate_verifies) {
  SelfSignedCert cert;
  CannedServer server(10000, cert.serverContext());
  server.answer("/cgi-bin/token", 200, R"({"access_token":"tls-token","expires_in":7200})");
  WechatClientSettings settings = settingsFor(server.baseUrl());
  settings.maxAttempts = 1;
  auto untrusted = WechatClient(settings).fetchToken(App::Oa);  // system CAs only
  BOOST_REQUIRE(!untrusted);
  BOOST_TEST(kindName(untrusted.error().kind) == std::string("transport"));
  BOOST_TEST_MESSAGE(untrusted.error().describe());
  BOOST_TEST(server.hits("/cgi-bin/token") == 0);
  settings.caLocation = cert.cert();
  auto trusted = WechatClient(settings).fetchToken(App::Oa);
  BOOST_REQUIRE_MESSAGE(trusted, describe(errorOf(trusted)));
  BOOST_TEST(trusted->token == "tls-token");
}

BOOST_AUTO_TEST_CASE(https_base_url_refuses_a_plain_http_server) {
  CannedServer server;
  WechatClientSettings settings = settingsFor(server.baseUrl());
  settings.apiBase =
      "https://127.0.0.1:" + server.baseUrl().substr(server.baseUrl().rfind(':') + 1);
  settings.maxAttempts = 1;
  WechatClient client(settings);
  auto result = client.fetchToken(App::Oa);
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("transport"));
  BOOST_CHECK_THROW(WechatClient(settingsFor("ftp://example.com")), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
