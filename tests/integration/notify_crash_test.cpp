// The outbox under failure and scale-out, with wxbridge as real child processes: a digest killed
// with SIGKILL in the middle of sending and run again delivers every message exactly once (on
// SQLite and MariaDB), a serve whose platform is gone stops on SIGTERM within seconds and leaves
// its claimed messages to the next serve, which delivers each once (both backends), and two
// `serve` processes sharing one MariaDB database - both firing the digest and both taking direct
// messages - deliver each message once.
#include <date/date.h>
#include <sys/wait.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "integration/notify_env.h"
#include "store/notifications/notifications.h"
#include "support/command_process.h"
#include "support/eventually.h"
#include "support/fake_wechat_process.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

// A 6-field cron expression that fires once, `aheadSeconds` from now (UTC).
std::string cronAt(int aheadSeconds) {
  using namespace std::chrono;
  auto at = time_point_cast<seconds>(system_clock::now()) + seconds(aheadSeconds);
  auto time = date::hh_mm_ss<seconds>(at - date::floor<date::days>(at));
  return std::to_string(time.seconds().count()) + " " + std::to_string(time.minutes().count()) +
         " " + std::to_string(time.hours().count()) + " * * *";
}

double metric(const WxbridgeServe& serve, const std::string& series) {
  std::string text = serve.get("/metrics");
  size_t at = text.find("\n" + series + " ");
  return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size() + 2));
}

// A direct message of template `note` to `unionid`.
std::string directMessage(const std::string& key, const std::string& unionid) {
  return R"({"idempotency_key":")" + key + R"(","unionid":")" + unionid +
         R"(","template":"note","params":{"title":"t"}})";
}

// The template messages `fake` delivered.
std::vector<nlohmann::json> templateDeliveries(const FakeWechatProcess& fake) {
  std::vector<nlohmann::json> out;
  for (auto& line : fake.getNdjson("/__fake/messages")) {
    if (line.value("api", "") == "template") out.push_back(std::move(line));
  }
  return out;
}

std::set<std::string> clientMsgIds(const std::vector<nlohmann::json>& deliveries) {
  std::set<std::string> ids;
  for (const auto& d : deliveries) ids.insert(d["body"]["client_msg_id"].get<std::string>());
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_crash)

BOOST_DATA_TEST_CASE(a_digest_killed_mid_send_and_run_again_delivers_each_message_once,
                     boost::unit_test::data::make(kBackends), backendName) {
  constexpr size_t kAccounts = 120;
  NotifyEnv env(backendName, kAccounts, {"--latency-ms", "20"});
  env.addEvents(0, kAccounts);
  auto args = env.commandArgs({"digest"}, {"notify.workers=2"});
  {
    CommandProcess first(WxbridgeServe::binary(), args, env.secrets());
    env.waitForDeliveries(30);
    first.kill9();
  }
  size_t beforeRestart = env.deliveries().size();
  BOOST_TEST(beforeRestart < kAccounts);
  BOOST_TEST(env.store().notifications().depthByState()[OutboxState::Sending] > 0);

  auto second = runWxbridge(args, env.secrets());
  BOOST_TEST_REQUIRE(second.exitCode == 0, second.err);
  auto summary = lastJsonLine(second.out);
  BOOST_TEST(summary["resumed"] == true);
  BOOST_TEST(summary["enqueued"] == 0);
  BOOST_TEST(summary["pending"] == 0);
  auto deliveries = env.deliveries();
  auto byUser = deliveriesByUser(deliveries);
  BOOST_TEST(deliveries.size() == kAccounts);
  BOOST_TEST(byUser.size() == kAccounts);
  for (const auto& [user, n] : byUser) BOOST_TEST(n == 1, user);
  BOOST_TEST(clientMsgIds(deliveries).size() == kAccounts);
  BOOST_TEST(env.store().notifications().depthByState()[OutboxState::Sent] ==
             static_cast<int64_t>(kAccounts));
  // The calls the fake answered without delivering are the resends it deduplicated.
  auto calls = env.fake().callCount("/cgi-bin/message/template/send");
  BOOST_TEST_MESSAGE("template sends: " << calls << " calls for " << kAccounts << " deliveries, "
                                        << beforeRestart << " before the kill");
  BOOST_TEST(calls >= static_cast<int64_t>(kAccounts));
}

// The platform is gone (fake-wechat killed while a call waits for its answer) and serve's one
// sender holds a claimed batch whose every call the client would retry 10 times with backoff
// (about 20 s a message): SIGTERM ends serve within seconds all the same, its claims go back to
// pending, and a second serve (on a new platform) delivers each of those messages exactly once.
BOOST_DATA_TEST_CASE(a_serve_whose_platform_is_gone_stops_at_once_and_the_next_sends_its_batch,
                     boost::unit_test::data::make(kBackends), backendName) {
  constexpr int kFollowers = 12;
  NotifyEnv env(backendName, kFollowers, {"--latency-ms", "1500"});
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  const std::vector<std::string> sets =
      env.sets({"notify.workers=1", "wechat.max_attempts=10", "wechat.connect_timeout_ms=500"});
  WxbridgeServe first(sets);
  auto warm = first.call("POST", "/v1/messages", directMessage("warm", env.followers()[0].unionid));
  BOOST_TEST_REQUIRE(warm.status == 202, warm.body);
  env.waitForDeliveries(1);  // the token is fetched and stored
  for (int i = 0; i < kFollowers; ++i) {
    auto reply = first.call("POST", "/v1/messages",
                            directMessage("gone" + std::to_string(i), env.followers()[i].unionid));
    BOOST_TEST_REQUIRE(reply.status == 202, reply.body);
  }
  env.fake().stop();  // the sender's call is waiting out the latency: it never gets an answer
  Notifications& notify = env.store().notifications();
  waitUntil([&] { return notify.depthByState()[OutboxState::Sending] >= 2; }, 15'000,
            "a batch claimed");
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));  // deep in the retries
  const auto stopAt = std::chrono::steady_clock::now();
  const int status = first.stop(60'000);
  const auto stopMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - stopAt)
                          .count();
  BOOST_TEST_MESSAGE("serve stopped in " << stopMs << " ms");
  BOOST_TEST(stopMs < 5'000);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "wait status " << status);
  auto depth = notify.depthByState();
  const int64_t left = depth[OutboxState::Pending];
  BOOST_TEST(depth[OutboxState::Sending] == 0);
  BOOST_TEST(left >= 2);
  BOOST_TEST(left + depth[OutboxState::Sent] == kFollowers + 1);

  FakeWechatProcess platform({"--followers", std::to_string(kFollowers), "--unionid-ratio", "1"});
  std::vector<std::string> moved = sets;
  moved.push_back("wechat.api_base=" + platform.baseUrl());
  WxbridgeServe second(moved);
  waitUntil([&] { return templateDeliveries(platform).size() >= static_cast<size_t>(left); },
            30'000, "the batch delivered by the second serve", 50);
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));  // a duplicate would show now
  auto deliveries = templateDeliveries(platform);
  BOOST_TEST(deliveries.size() == static_cast<size_t>(left));
  BOOST_TEST(clientMsgIds(deliveries).size() == static_cast<size_t>(left));
  for (const auto& [user, n] : deliveriesByUser(deliveries)) BOOST_TEST(n == 1, user);
  BOOST_TEST(notify.depthByState()[OutboxState::Sent] == kFollowers + 1);
}

BOOST_AUTO_TEST_CASE(two_serve_processes_on_one_mariadb_send_each_message_once) {
  constexpr size_t kAccounts = 80;
  constexpr size_t kDirect = 40;
  NotifyEnv env("mysql", kAccounts, {"--latency-ms", "5"});
  env.addEvents(0, kAccounts);
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  // Both instances fire the digest at the same second.
  auto sets = env.sets({"timezone=UTC", "notify.digest.cron=" + cronAt(5), "notify.workers=2"});
  WxbridgeServe a(sets);
  WxbridgeServe b(sets);
  for (size_t i = 0; i < kDirect; ++i) {
    std::string body = R"({"idempotency_key":"d)" + std::to_string(i) + R"(","unionid":")" +
                       env.followers()[i].unionid +
                       R"(","template":"note","params":{"title":"t"}})";
    auto reply = (i % 2 ? a : b).call("POST", "/v1/messages", body);
    BOOST_TEST_REQUIRE(reply.status == 202, reply.body);
  }
  env.waitForDeliveries(kAccounts + kDirect, 30'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a duplicate would show now
  auto deliveries = env.deliveries();
  BOOST_TEST(deliveries.size() == kAccounts + kDirect);
  BOOST_TEST(clientMsgIds(deliveries).size() == kAccounts + kDirect);
  auto byUser = deliveriesByUser(deliveries);
  for (size_t i = 0; i < kAccounts; ++i) {
    BOOST_TEST(byUser[env.followers()[i].openid] == (i < kDirect ? 2 : 1));
  }
  double sentByA = metric(a, "wxbridge_notify_sends_total{channel=\"oa_template\",errcode=\"0\"}");
  double sentByB = metric(b, "wxbridge_notify_sends_total{channel=\"oa_template\",errcode=\"0\"}");
  BOOST_TEST_MESSAGE("sent by A: " << sentByA << ", by B: " << sentByB);
  BOOST_TEST(sentByA > 0);
  BOOST_TEST(sentByB > 0);
  BOOST_TEST(sentByA + sentByB == static_cast<double>(kAccounts + kDirect));
  double built = metric(a, "wxbridge_notify_digest_runs_total{outcome=\"built\"}") +
                 metric(b, "wxbridge_notify_digest_runs_total{outcome=\"built\"}");
  BOOST_TEST(built == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
