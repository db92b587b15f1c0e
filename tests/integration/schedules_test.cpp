// Reminders fired by real `serve` processes: two instances on one MariaDB database fire every
// schedule exactly once (checked against fake-wechat's delivery log), so does a serve killed
// with SIGKILL while firing and started again, and a serve on either backend fires a reminder
// created through POST /v1/schedules at its second, not before.
#include <signal.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "integration/notify_env.h"
#include "support/eventually.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

const std::vector<std::string> kRemindTemplate = {
    "timezone=UTC", "templates.remind.template_id=TPL_REMIND",
    "templates.remind.miniprogram.pagepath=pages/todo/index",
    "templates.remind.data.thing1={{params.title}}"};

int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// A daily reminder for `unionid` at the UTC second of `fireMs` (a whole second), stored
// directly (the routes are tested elsewhere).
Schedule dailyAt(const std::string& unionid, int64_t fireMs, int64_t createdMs) {
  Schedule s;
  s.unionid = unionid;
  int64_t secondOfDay = (fireMs / 1000) % 86'400;
  s.cron = std::to_string(secondOfDay % 60) + " " + std::to_string(secondOfDay / 60 % 60) + " " +
           std::to_string(secondOfDay / 3600) + " * * *";
  s.timezone = "UTC";
  s.templateName = "remind";
  s.params = {{"title", "stand-up"}};
  s.state = ScheduleState::Active;
  s.nextFireMs = fireMs;
  s.createdAtMs = s.updatedAtMs = createdMs;
  return s;
}

double metric(const WxbridgeServe& serve, const std::string& series) {
  std::string text = serve.get("/metrics");
  size_t at = text.find("\n" + series + " ");
  return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schedules_serve)

BOOST_AUTO_TEST_CASE(two_serve_processes_on_one_mariadb_fire_each_reminder_exactly_once) {
  constexpr size_t kUsers = 120;
  NotifyEnv env("mysql", kUsers, {"--latency-ms", "0"});
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe a(env.sets(kRemindTemplate));
  WxbridgeServe b(env.sets(kRemindTemplate));
  // Fires spread over four seconds, starting two seconds from now.
  const int64_t first = (nowMs() / 1000 + 2) * 1000;
  std::map<std::string, int64_t> fireOf;
  for (size_t i = 0; i < kUsers; ++i) {
    const auto& f = env.followers()[i];
    fireOf[f.openid] = first + static_cast<int64_t>(i % 4) * 1000;
    BOOST_REQUIRE(
        env.store().schedules().create(dailyAt(f.unionid, fireOf[f.openid], nowMs()), 50));
  }
  env.waitForDeliveries(kUsers, 30'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a duplicate would show now
  auto deliveries = env.deliveries();
  BOOST_TEST(deliveries.size() == kUsers);
  std::set<std::string> ids;
  for (const auto& d : deliveries) ids.insert(d["body"]["client_msg_id"].get<std::string>());
  BOOST_TEST(ids.size() == kUsers);
  auto byUser = deliveriesByUser(deliveries);
  for (size_t i = 0; i < kUsers; ++i) BOOST_TEST(byUser[env.followers()[i].openid] == 1);
  const std::string enqueued = "wxbridge_schedule_fires_total{outcome=\"enqueued\"}";
  double byA = metric(a, enqueued);
  double byB = metric(b, enqueued);
  BOOST_TEST_MESSAGE("reminders fired by A: " << byA << ", by B: " << byB);
  BOOST_TEST(byA + byB == static_cast<double>(kUsers));
  for (const auto& [state, count] : env.store().schedules().countByState()) {
    BOOST_TEST((state == ScheduleState::Active));
    BOOST_TEST(count == static_cast<int64_t>(kUsers));
  }
}

// A real serve killed with SIGKILL while it fires: 1,100 reminders fall due together, so the
// engine fires them in three transactions of up to 500 (kFirePage); the test kills serve once
// the first has committed and before the last has - while a claim is open or between two. The
// killed transaction rolls back (MariaDB drops the dead connection's locks), and the restarted
// serve fires what is left, as a catch-up within the misfire grace. The fake's delivery log
// holds each reminder exactly once; the outbox one row per reminder.
BOOST_AUTO_TEST_CASE(a_serve_killed_while_firing_and_restarted_sends_each_fire_exactly_once) {
  constexpr size_t kUsers = 1'100;
  NotifyEnv env("mysql", kUsers, {"--latency-ms", "0"});
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  const int64_t fire = (nowMs() / 1000 + 1) * 1000;
  for (const auto& f : env.followers()) {
    BOOST_REQUIRE(env.store().schedules().create(dailyAt(f.unionid, fire, nowMs()), 50));
  }
  auto outboxRows = [&] {
    int64_t rows = 0;
    for (const auto& [state, count] : env.store().notifications().depthByState()) rows += count;
    return rows;
  };
  while (nowMs() < fire + 100) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto first = std::make_unique<WxbridgeServe>(env.sets(kRemindTemplate));
  int64_t rowsAtKill = 0;
  BOOST_REQUIRE(eventually([&] { return (rowsAtKill = outboxRows()) > 0; }, 30'000, 1));
  kill(first->pid(), SIGKILL);
  first->stop();
  rowsAtKill = outboxRows();  // what had committed when it died
  BOOST_TEST_MESSAGE("fires committed before the kill: " << rowsAtKill << " of " << kUsers);
  BOOST_TEST(rowsAtKill > 0);
  BOOST_TEST(rowsAtKill < static_cast<int64_t>(kUsers));  // killed while firing

  WxbridgeServe second(env.sets(kRemindTemplate));
  env.waitForDeliveries(kUsers, 60'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a duplicate would show now
  auto deliveries = env.deliveries();
  BOOST_TEST(deliveries.size() == kUsers);
  auto byUser = deliveriesByUser(deliveries);
  size_t once = 0;
  for (const auto& f : env.followers()) once += byUser[f.openid] == 1;
  BOOST_TEST(once == kUsers);
  BOOST_TEST(outboxRows() == static_cast<int64_t>(kUsers));
  const double fired = metric(second, "wxbridge_schedule_fires_total{outcome=\"enqueued\"}");
  BOOST_TEST(fired == static_cast<double>(static_cast<int64_t>(kUsers) - rowsAtKill));
}

BOOST_DATA_TEST_CASE(a_serve_fires_a_reminder_at_its_second_and_not_before,
                     boost::unit_test::data::make(kBackends), backendName) {
  NotifyEnv env(backendName, 2, {"--latency-ms", "0"});
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe serve(env.sets(kRemindTemplate));
  const int64_t fire = (nowMs() / 1000 + 3) * 1000;
  Schedule draft = dailyAt(env.followers()[0].unionid, fire, 0);
  nlohmann::json body = {{"unionid", draft.unionid},
                         {"cron", draft.cron},
                         {"timezone", "UTC"},
                         {"template", "remind"},
                         {"params", draft.params}};
  auto reply = serve.call("POST", "/v1/schedules", body.dump());
  BOOST_TEST_REQUIRE(reply.status == 201, reply.body);
  auto created = nlohmann::json::parse(reply.body);
  auto stored = env.store().schedules().find(created["id"].get<int64_t>());
  BOOST_REQUIRE(stored);
  BOOST_TEST(*stored->nextFireMs == fire);
  env.waitForDeliveries(1, 15'000);
  auto message = env.store().notifications().message(1);  // the fresh outbox's first row
  BOOST_REQUIRE(message);
  BOOST_TEST(message->idempotencyKey == scheduleFireKey(stored->id, fire));
  BOOST_TEST(message->createdAtMs >= fire);  // enqueued at its second, not before
  auto deliveries = env.deliveries();
  BOOST_REQUIRE(deliveries.size() == 1u);
  BOOST_TEST(deliveries[0]["body"]["touser"] == env.followers()[0].openid);
  BOOST_TEST(deliveries[0]["body"]["data"]["thing1"]["value"] == "stand-up");
  auto s = env.store().schedules().find(stored->id).value();
  BOOST_TEST(*s.lastFireMs == fire);
  BOOST_TEST(*s.nextFireMs == fire + 86'400'000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
