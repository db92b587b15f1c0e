// WechatClient's transport and retry rules against the real fake-wechat over loopback: a
// rejected token is refreshed and the call retried once; busy, failing and unanswered calls are
// retried with capped backoff (waits recorded, not slept) up to maxAttempts, a send that may
// have been delivered is not; the IP whitelist refusal is logged with the egress IP. Against a
// canned-answer server: HTTP 5xx is retried and other statuses are not, keep-alive connections
// are reused and replaced when the server drops them, and https trusts only a verified peer.
#include <Poco/Message.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cron/stop_signal.h"
#include "support/canned_http_server.h"
#include "support/fake_wechat_process.h"
#include "support/log_capture.h"
#include "support/self_signed_cert.h"
#include "support/wechat_client_fixtures.h"
#include "wechat/wechat_client.h"

namespace wxb::test {

BOOST_AUTO_TEST_SUITE(wechat_client)

// --- token invalidation ----------------------------------------------------------------------

namespace {

// A client whose first call went through, and whose token the platform has killed since.
struct InvalidatedToken {
  InvalidatedToken() {
    BOOST_REQUIRE(client.getFollowers(""));
    fake.post("/__fake/invalidate-token", R"({"app":"oa"})");
  }
  static WechatClientSettings observedBy(WechatClientSettings settings, CallLog& log) {
    settings.onCall = log.observer();
    return settings;
  }
  FakeWechatProcess fake{{"--followers", "30"}};
  CallLog calls;
  WechatClientSettings settings = observedBy(clientSettingsFor(fake.baseUrl()), calls);
  CountingTokenSource tokens{settings};
  WechatClient client{settings, tokens};
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(invalidated_token_is_reported_refreshed_and_the_call_retried_once,
                        InvalidatedToken) {
  auto page = client.getFollowers("");
  BOOST_REQUIRE_MESSAGE(page, describe(errorOf(page)));
  BOOST_TEST(page->count == 30);
  BOOST_TEST(tokens.rejections == 1);
  BOOST_TEST(tokens.fetches == 2);
  BOOST_TEST(calls.count("/cgi-bin/user/get") == 3);  // ok, rejected, ok
  BOOST_TEST(calls.count("/cgi-bin/user/get", 0) == 2);
}

// A thread whose StopSignal has fired makes no second call after a rejected token: the token is
// reported (expired for the next caller), not refreshed, and the rejection returned (REVIEW6
// F5; a stopping serve must not wait on more platform calls).
BOOST_FIXTURE_TEST_CASE(a_stopping_thread_does_not_refresh_and_retry_a_rejected_token,
                        InvalidatedToken) {
  StopSignal stopping;
  stopping.request();
  StopSignal::Scope scope(stopping);
  auto page = client.getFollowers("");
  BOOST_REQUIRE(!page);
  BOOST_TEST(kindName(page.error().kind) == std::string("token_invalid"));
  BOOST_TEST(tokens.rejections == 1);  // reported, so the next caller refreshes
  BOOST_TEST(tokens.fetches == 1);
  BOOST_TEST(calls.count("/cgi-bin/user/get") == 2);  // ok, rejected - and no retry
}

BOOST_AUTO_TEST_CASE(token_still_rejected_after_one_refresh_is_token_invalid) {
  FakeWechatProcess fake;
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  FixedTokenSource tokens("forged-token-that-the-platform-never-issued");
  WechatClient client(settings, tokens);
  LogCapture logs("wxb.wechat");
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
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  settings.maxAttempts = 12;
  CallLog calls;
  settings.onCall = calls.observer();
  Waits waits;
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens, waits.sleeper());
  LogCapture logs("wxb.wechat");  // every retry is logged at debug level
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
  BOOST_TEST(fake.callCount("/cgi-bin/user/info") == 20 + busy + failed);
  BOOST_TEST(fake.errcodeCount("-1") >= busy);
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
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
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
  BOOST_TEST(waits.ms[0] <= 100);  // equal jitter: 50-100 ms, base * 2^0 at most
  BOOST_TEST(waits.ms[1] <= 150);  // capped by backoffMaxMs
}

BOOST_AUTO_TEST_CASE(unanswered_calls_give_transport_after_bounded_attempts_and_time) {
  FakeWechatProcess fake({"--timeout-rate", "1", "--timeout-hold-ms", "3000"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
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
  BOOST_TEST(calls.count("/cgi-bin/stable_token", kCallTransportFailed) == 3);
  BOOST_TEST(elapsed >= std::chrono::milliseconds(3 * 250));
  BOOST_TEST(elapsed < std::chrono::milliseconds(3 * 250 + 1500));
}

BOOST_AUTO_TEST_CASE(unanswered_subscribe_send_is_not_resent) {
  FakeWechatProcess fake;
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  settings.readTimeoutMs = 250;
  CallLog calls;
  settings.onCall = calls.observer();
  CountingTokenSource tokens(clientSettingsFor(fake.baseUrl()));
  WechatClient client(settings, tokens);
  BOOST_REQUIRE(tokens.accessToken(App::Mp));  // fetched before the platform stops answering
  fake.configure({{"timeout_rate", 1.0}});
  SubscribeMessage message;
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
  WechatClient client(clientSettingsFor(fake.baseUrl()));
  LogCapture logs("wxb.wechat");
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

// --- HTTP statuses -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(http_5xx_is_retried_and_other_statuses_are_not) {
  CannedHttpServer server;
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
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

// --- connections -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sequential_calls_reuse_one_keep_alive_connection) {
  FakeWechatProcess fake({"--followers", "3"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  for (int i = 0; i < 10; ++i) BOOST_REQUIRE(client.getFollowers(""));
  BOOST_TEST(client.connectionsCreated() == 1);
}

BOOST_AUTO_TEST_CASE(connection_closed_by_the_server_while_idle_is_replaced_transparently) {
  CannedHttpServer server(100);  // the server drops idle connections after 100 ms
  server.answer("/cgi-bin/user/get", 200, R"({"total":0,"count":0})");
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  BOOST_REQUIRE(client.getFollowers(""));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto again = client.getFollowers("");
  BOOST_REQUIRE_MESSAGE(again, describe(errorOf(again)));
  BOOST_TEST(client.connectionsCreated() == 2);
  BOOST_TEST(calls.count("/cgi-bin/user/get", kCallTransportFailed) == 0);
  BOOST_TEST(server.hits("/cgi-bin/user/get") == 2);
}

BOOST_AUTO_TEST_CASE(https_trusts_a_peer_only_when_its_certificate_verifies) {
  SelfSignedCert cert;
  CannedHttpServer server(10000, cert.serverContext());
  server.answer("/cgi-bin/token", 200, R"({"access_token":"tls-token","expires_in":7200})");
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
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
  CannedHttpServer server;
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
  settings.apiBase =
      "https://127.0.0.1:" + server.baseUrl().substr(server.baseUrl().rfind(':') + 1);
  settings.maxAttempts = 1;
  WechatClient client(settings);
  auto result = client.fetchToken(App::Oa);
  BOOST_REQUIRE(!result);
  BOOST_TEST(kindName(result.error().kind) == std::string("transport"));
  BOOST_CHECK_THROW(WechatClient(clientSettingsFor("ftp://example.com")), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
