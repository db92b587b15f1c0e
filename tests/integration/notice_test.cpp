// Real-time notices with wxbridge as real child processes on one MariaDB and a real
// fake-wechat: two `serve` instances taking events for the same users send exactly one message
// per window per user (a "single" at once, one "many" at the close), and when the instance that
// decided the closing windows is killed with SIGKILL while it sends them, another still
// delivers every notice exactly once (its decisions are committed with their outbox rows; its
// claims are resent with the same client_msg_id, which the platform deduplicates).
#include <signal.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "integration/notify_env.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

constexpr int kThrottleSeconds = 2;

std::vector<std::string> realtimeSets(NotifyEnv& env) {
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  return env.sets(
      {"timezone=UTC", "notify.workers=2",
       "notify.throttle_seconds=" + std::to_string(kThrottleSeconds),
       "notify.types.chat.label=chats", "notify.types.chat.realtime=true",
       "notify.realtime.single=rt_one", "notify.realtime.many=rt_many",
       "templates.rt_one.template_id=TPL_ONE", "templates.rt_one.data.thing1={{actor}}: {{text}}",
       "templates.rt_many.template_id=TPL_MANY", "templates.rt_many.data.number1={{total}}"});
}

void postChat(const WxbridgeServe& serve, const std::string& id, const std::string& unionid) {
  auto reply = serve.call("POST", "/v1/events",
                          R"({"event_id":")" + id + R"(","unionid":")" + unionid +
                              R"(","type":"chat","actor":"Li","text":")" + id + R"("})");
  BOOST_TEST_REQUIRE(reply.status == 202, reply.body);
}

// touser -> template ids received, in order.
std::map<std::string, std::vector<std::string>> receivedByUser(NotifyEnv& env) {
  std::map<std::string, std::vector<std::string>> byUser;
  for (const auto& d : env.deliveries()) {
    byUser[d["body"]["touser"].get<std::string>()].push_back(
        d["body"]["template_id"].get<std::string>());
  }
  return byUser;
}

// Every user got exactly one single then one many: three chats each, the last two held.
void expectOneSingleThenOneMany(NotifyEnv& env, size_t users) {
  auto byUser = receivedByUser(env);
  BOOST_TEST(byUser.size() == users);
  for (size_t i = 0; i < users; ++i) {
    const auto& got = byUser[env.followers()[i].openid];
    BOOST_TEST((got == std::vector<std::string>{"TPL_ONE", "TPL_MANY"}),
               env.followers()[i].unionid << " got " << got.size() << " messages");
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notice_instances)

BOOST_AUTO_TEST_CASE(two_serve_processes_send_one_message_per_window_per_user) {
  constexpr size_t kUsers = 40;
  NotifyEnv env("mysql", kUsers, {"--latency-ms", "5"});
  auto sets = realtimeSets(env);
  WxbridgeServe a(sets);
  WxbridgeServe b(sets);
  // Each user: a first chat on one instance, two more on the other while the window is open.
  for (size_t i = 0; i < kUsers; ++i) {
    const std::string& u = env.followers()[i].unionid;
    postChat(i % 2 ? a : b, u + "-1", u);
    postChat(i % 2 ? b : a, u + "-2", u);
    postChat(i % 2 ? a : b, u + "-3", u);
  }
  env.waitForDeliveries(kUsers, 10'000);
  auto first = receivedByUser(env);
  for (const auto& [user, got] : first) BOOST_TEST(got.front() == "TPL_ONE", user);
  env.waitForDeliveries(2 * kUsers, 10'000 + 1000 * kThrottleSeconds);
  // Each many opened a window that closes with nothing held: nothing more may come.
  std::this_thread::sleep_for(std::chrono::seconds(kThrottleSeconds + 1));
  expectOneSingleThenOneMany(env, kUsers);
}

BOOST_AUTO_TEST_CASE(killing_the_instance_that_closes_the_windows_loses_and_repeats_nothing) {
  constexpr size_t kUsers = 60;
  NotifyEnv env("mysql", kUsers, {"--latency-ms", "20"});
  auto sets = realtimeSets(env);
  auto slow = sets;
  slow.push_back("notify.qps=20");  // A sends slowly: it is mid-way when it dies
  auto a = std::make_unique<WxbridgeServe>(slow);
  for (size_t i = 0; i < kUsers; ++i) {
    const std::string& u = env.followers()[i].unionid;
    postChat(*a, u + "-1", u);
    postChat(*a, u + "-2", u);
    postChat(*a, u + "-3", u);
  }
  // A decides the windows as they close and starts sending the "many" notices ...
  env.waitForDeliveries(kUsers + 5, 20'000);
  ::kill(a->pid(), SIGKILL);
  a.reset();
  const size_t atKill = env.deliveries().size();
  BOOST_TEST_MESSAGE("deliveries when A was killed: " << atKill << " of " << 2 * kUsers);
  BOOST_TEST(atKill < 2 * kUsers);
  // ... and B, started after the kill, finds A's claims and the rest of the windows.
  WxbridgeServe b(sets);
  env.waitForDeliveries(2 * kUsers, 30'000);
  std::this_thread::sleep_for(std::chrono::seconds(kThrottleSeconds + 6));  // A's claims expire
  auto byUser = receivedByUser(env);
  BOOST_TEST(byUser.size() == kUsers);
  for (auto& [user, got] : byUser) {
    std::sort(got.begin(), got.end());  // a resent single may arrive after the many
    BOOST_TEST((got == std::vector<std::string>{"TPL_MANY", "TPL_ONE"}), user);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
