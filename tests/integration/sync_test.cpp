// The follower sync against the real fake-wechat and real stores (SQLite and MariaDB): a clean
// run mirrors the follower list; faults, timeouts and a token that dies mid-run cost retries,
// not the run; a quota stops it resumably; unsubscribe marking happens only after a complete
// run whose list is as long as the platform counts (a truncated one marks nobody); one sync at a
// time; the write-back; and `wxbridge sync` killed with SIGKILL resumes fetching no page twice
// beyond the one in flight, ending with the same accounts as a clean run.

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "store/db/mysql_db.h"
#include "store/open_store.h"
#include "support/command_process.h"
#include "support/fake_wechat_process.h"
#include "support/log_capture.h"
#include "support/platform_clients.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wechat_client_fixtures.h"
#include "support/wxbridge_process.h"
#include "sync/sync_engine.h"
#include "wechat/token_service.h"

namespace wxb::test {

namespace {

SyncSettings quickSync() {
  SyncSettings s;
  s.concurrency = 4;
  s.qps = 0;
  s.writeBatch = 250;
  s.retryAttempts = 8;
  s.retryBaseMs = 10;
  s.retryMaxMs = 40;
  s.leaseTtlMs = 10'000;
  return s;
}

// One wxbridge as far as the sync goes: store, token service, platform client.
struct Bed {
  SystemClock clock;
  std::unique_ptr<Store> store;
  PlatformClients wx;

  Bed(const StoreSettings& db, const WechatClientSettings& client)
      : store(openStore(db, clock)), wx(*store, client, clock) {}

  SyncRun sync(const SyncSettings& settings, bool restart = false,
               const SyncProgressFn& progress = {}) {
    SyncEngine engine(store->accounts(), store->syncRuns(), store->leases(), wx.platform, clock,
                      settings);
    return engine.begin(restart).value()->execute(progress);
  }
};

// Every follower the fake lists is in the store, subscribed, with the same unionid.
int mismatches(Store& store, const std::vector<nlohmann::json>& followers) {
  int wrong = 0;
  for (const auto& f : followers) {
    auto account = store.accounts().findByOaOpenid(f["openid"]);
    bool same =
        account && account->subscribed && account->unionid == f.value("unionid", std::string());
    if (!same) ++wrong;
  }
  return wrong;
}

// How many of these OA openids the store holds as subscribed.
int subscribedAmong(Store& store, const nlohmann::json& openids) {
  int subscribed = 0;
  for (const auto& openid : openids) {
    auto account = store.accounts().findByOaOpenid(openid);
    if (account && account->subscribed) ++subscribed;
  }
  return subscribed;
}

int64_t withUnionid(const std::vector<nlohmann::json>& followers) {
  return std::count_if(followers.begin(), followers.end(),
                       [](const nlohmann::json& f) { return f.contains("unionid"); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sync)

BOOST_DATA_TEST_CASE(a_clean_run_mirrors_the_follower_list_page_by_page,
                     boost::unit_test::data::make(kBackends), backend) {
  FakeWechatProcess fake(
      {"--followers", "2550", "--unionid-ratio", "0.8", "--page-size", "300", "--seed", "3"});
  Bed bed(migratedStoreSettings(backend), fakeCredentials(fake.baseUrl(), 5, 20));
  std::vector<int64_t> pagesSeen;
  SyncRun run = bed.sync(quickSync(), false,
                         [&](const SyncProgress& p) { pagesSeen.push_back(p.run.pages); });
  auto followers = fake.getNdjson("/__fake/followers");
  BOOST_TEST(syncStateName(run.state) == std::string("completed"));
  BOOST_TEST(run.pages == 10);  // 9 pages of openids and the empty one that ends the list
  BOOST_TEST(run.followers == 2550);
  BOOST_TEST(run.total == 2550);
  BOOST_TEST(run.mapped == withUnionid(followers));
  BOOST_TEST(run.skipped == 0);
  BOOST_TEST(run.unsubscribed == 0);
  BOOST_TEST(mismatches(*bed.store, followers) == 0);
  BOOST_TEST(bed.store->accounts().count() == 2550);
  BOOST_TEST(fake.callCount("/cgi-bin/user/get") == 10);
  BOOST_TEST(fake.callCount("/cgi-bin/user/info/batchget") == 8 * 3 + 2);  // 2550 = 8 x 300 + 150
  BOOST_TEST(pagesSeen.front() == 0);
  BOOST_TEST(pagesSeen.back() == 10);
  auto stored = bed.store->syncRuns().latestRun();
  BOOST_REQUIRE(stored);
  BOOST_TEST(stored->id == run.id);
  BOOST_TEST(stored->finishedAtMs >= stored->startedAtMs);
  BOOST_TEST(stored->nextOpenid == followers.back()["openid"].get<std::string>());
}

BOOST_DATA_TEST_CASE(busy_errors_5xx_timeouts_and_a_token_dying_mid_run_do_not_fail_it,
                     boost::unit_test::data::make(kBackends), backend) {
  FakeWechatProcess fake({"--followers", "1500", "--page-size", "100", "--seed", "4", "--busy-rate",
                          "0.1", "--fail-rate", "0.1", "--timeout-rate", "0.1", "--timeout-hold-ms",
                          "400"});
  WechatClientSettings client = fakeCredentials(fake.baseUrl(), 5, 20);
  client.maxAttempts = 1;  // every fault reaches the sync's own retries
  client.readTimeoutMs = 150;
  Bed bed(migratedStoreSettings(backend), client);
  SyncRun run = bed.sync(quickSync(), false, [&](const SyncProgress& p) {
    if (p.run.pages == 3) fake.post("/__fake/invalidate-token", R"({"app":"oa"})");
  });
  auto stats = fake.stats();
  BOOST_TEST(syncStateName(run.state) == std::string("completed"), run.lastError);
  BOOST_TEST(run.followers == 1500);
  BOOST_TEST(run.skipped == 0);
  BOOST_TEST(run.errors > 0);
  BOOST_TEST(stats["faults"]["busy"].get<int>() > 0);
  BOOST_TEST(stats["faults"]["timeout"].get<int>() > 0);
  BOOST_TEST(stats["tokens_issued"]["oa"].get<int>() >= 2);
  BOOST_TEST(mismatches(*bed.store, fake.getNdjson("/__fake/followers")) == 0);
}

BOOST_DATA_TEST_CASE(a_quota_stops_the_run_resumably_and_the_next_run_finishes_it,
                     boost::unit_test::data::make(kBackends), backend) {
  FakeWechatProcess fake(
      {"--followers", "1000", "--page-size", "100", "--seed", "6", "--quota", "batchget=5"});
  Bed bed(migratedStoreSettings(backend), fakeCredentials(fake.baseUrl(), 5, 20));
  SyncRun stopped = bed.sync(quickSync());
  BOOST_TEST(syncStateName(stopped.state) == std::string("interrupted"));
  BOOST_TEST(stopped.pages == 5);
  BOOST_TEST(stopped.lastError.find("45009") != std::string::npos);
  fake.postJson("/__fake/config", {{"quota", {{"batchget", -1}}}});
  SyncRun resumed = bed.sync(quickSync());
  BOOST_TEST(resumed.id == stopped.id);
  BOOST_TEST(resumed.resumes == 1);
  BOOST_TEST(syncStateName(resumed.state) == std::string("completed"));
  BOOST_TEST(resumed.followers == 1000);
  BOOST_TEST(fake.callCount("/cgi-bin/user/get") == 11 + 1);  // page 6 was fetched twice
  BOOST_TEST(mismatches(*bed.store, fake.getNdjson("/__fake/followers")) == 0);
}

BOOST_DATA_TEST_CASE(followers_who_left_are_marked_unsubscribed_only_by_a_complete_run,
                     boost::unit_test::data::make(kBackends), backend) {
  FakeWechatProcess fake({"--followers", "600", "--page-size", "100", "--seed", "7"});
  Bed bed(migratedStoreSettings(backend), fakeCredentials(fake.baseUrl(), 5, 20));
  BOOST_REQUIRE((bed.sync(quickSync()).state == SyncState::Completed));
  auto before = fake.getNdjson("/__fake/followers");
  nlohmann::json leave = {before[0]["openid"], before[250]["openid"], before[599]["openid"]};
  fake.postJson("/__fake/followers", {{"remove", leave}, {"add", {{{"openid", "oNewcomer"}}}}});

  SyncRun second = bed.sync(quickSync());
  BOOST_TEST(syncStateName(second.state) == std::string("completed"));
  BOOST_TEST(second.unsubscribed == 3);
  for (const auto& gone : leave) {
    auto account = bed.store->accounts().findByOaOpenid(gone);
    BOOST_REQUIRE(account);
    BOOST_TEST(!account->subscribed);
  }
  BOOST_TEST(bed.store->accounts().findByOaOpenid("oNewcomer")->subscribed);
  BOOST_TEST(mismatches(*bed.store, fake.getNdjson("/__fake/followers")) == 0);

  // A run that stops early marks nothing; its resumption does.
  fake.postJson("/__fake/followers", {{"remove", {before[100]["openid"]}}});
  SyncEngine engine(bed.store->accounts(), bed.store->syncRuns(), bed.store->leases(),
                    bed.wx.platform, bed.clock, quickSync());
  auto job = engine.begin(false).value();
  SyncRun stopped = job->execute([&](const SyncProgress& p) {
    if (p.run.pages == 2) job->requestStop("test stops it");
  });
  job.reset();
  BOOST_TEST(syncStateName(stopped.state) == std::string("interrupted"));
  BOOST_TEST(bed.store->accounts().findByOaOpenid(before[100]["openid"])->subscribed);
  SyncRun finished = bed.sync(quickSync());
  BOOST_TEST(finished.id == stopped.id);
  BOOST_TEST(finished.unsubscribed == 1);
  BOOST_TEST(!bed.store->accounts().findByOaOpenid(before[100]["openid"])->subscribed);
}

BOOST_DATA_TEST_CASE(a_list_short_of_the_platforms_total_marks_nobody_unsubscribed,
                     boost::unit_test::data::make(kBackends), backend) {
  FakeWechatProcess fake({"--followers", "600", "--page-size", "100", "--seed", "9"});
  Bed bed(migratedStoreSettings(backend), fakeCredentials(fake.baseUrl(), 5, 20));
  BOOST_REQUIRE((bed.sync(quickSync()).state == SyncState::Completed));
  // 100 followers drop out of the list while the platform still counts them: a truncated list.
  auto before = fake.getNdjson("/__fake/followers");
  nlohmann::json hidden = nlohmann::json::array();
  for (size_t i = 250; i < 350; ++i) hidden.push_back(before[i]["openid"]);
  fake.postJson("/__fake/followers", {{"remove", hidden}});
  fake.postJson("/__fake/config", {{"total_surplus", 100}});

  SyncRun truncated = bed.sync(quickSync());
  BOOST_TEST(syncStateName(truncated.state) == std::string("truncated"));
  BOOST_TEST(truncated.followers == 500);
  BOOST_TEST(truncated.total == 600);
  BOOST_TEST(truncated.unsubscribed == 0);
  BOOST_TEST(truncated.finishedAtMs > 0);
  BOOST_TEST(truncated.lastError.find("after 500 followers but the platform counts 600") !=
                 std::string::npos,
             truncated.lastError);
  BOOST_TEST(subscribedAmong(*bed.store, hidden) == 100);
  BOOST_TEST(mismatches(*bed.store, fake.getNdjson("/__fake/followers")) == 0);
  auto stored = bed.store->syncRuns().latestRun();
  BOOST_REQUIRE(stored);
  BOOST_TEST(syncStateName(stored->state) == std::string("truncated"));
  BOOST_TEST(stored->lastError == truncated.lastError);

  // Once the count agrees with the list, a new run (nothing to resume) trusts it and marks them.
  fake.postJson("/__fake/config", {{"total_surplus", 0}});
  SyncRun trusted = bed.sync(quickSync());
  BOOST_TEST(trusted.id == truncated.id + 1);
  BOOST_TEST(syncStateName(trusted.state) == std::string("completed"));
  BOOST_TEST(trusted.unsubscribed == 100);
  BOOST_TEST(subscribedAmong(*bed.store, hidden) == 0);
}

BOOST_DATA_TEST_CASE(dirty_remarks_in_batchget_answers_do_not_stop_the_run_or_the_marking,
                     boost::unit_test::data::make(kBackends), backend) {
  // Every 20th follower's remark holds a raw 0x14 and bytes that are not UTF-8, every night.
  FakeWechatProcess fake(
      {"--followers", "1000", "--page-size", "500", "--seed", "12", "--dirty-text-rate", "0.05"});
  Bed bed(migratedStoreSettings(backend), fakeCredentials(fake.baseUrl(), 5, 20));
  SyncRun first = bed.sync(quickSync());
  auto followers = fake.getNdjson("/__fake/followers");
  BOOST_TEST(syncStateName(first.state) == std::string("completed"), first.lastError);
  BOOST_TEST(first.skipped == 0);
  BOOST_TEST(mismatches(*bed.store, followers) == 0);
  fake.postJson("/__fake/followers", {{"remove", {followers[7]["openid"]}}});
  SyncRun second = bed.sync(quickSync());
  BOOST_TEST(syncStateName(second.state) == std::string("completed"), second.lastError);
  BOOST_TEST(second.unsubscribed == 1);
}

BOOST_AUTO_TEST_CASE(the_end_of_run_line_gives_duration_and_rate_in_fractions_of_a_second) {
  FakeWechatProcess fake({"--followers", "501", "--page-size", "200", "--seed", "13"});
  Bed bed(migratedStoreSettings("sqlite"), fakeCredentials(fake.baseUrl(), 5, 20));
  LogCapture logs("wxb.sync");
  SyncRun run = bed.sync(quickSync());
  BOOST_REQUIRE((run.state == SyncState::Completed));
  std::smatch found;
  const std::string all = logs.all();
  BOOST_REQUIRE_MESSAGE(std::regex_search(all, found,
                                          std::regex(R"(completed: .*, ([0-9]+\.[0-9]{2}) s, )"
                                                     R"(([0-9]+) followers/s)")),
                        all);
  const double seconds = std::stod(found[1]);
  const double rate = std::stod(found[2]);
  BOOST_TEST(seconds > 0.0);  // not "0 s"
  BOOST_TEST(seconds < 30.0);
  BOOST_TEST(rate > 0);  // 501 followers in well under a second is not "0/s"
}

BOOST_AUTO_TEST_CASE(a_shortfall_within_the_tolerance_is_taken_for_churn) {
  FakeWechatProcess fake({"--followers", "600", "--page-size", "100", "--seed", "10"});
  Bed bed(migratedStoreSettings("sqlite"), fakeCredentials(fake.baseUrl(), 5, 20));
  BOOST_REQUIRE((bed.sync(quickSync()).state == SyncState::Completed));
  auto before = fake.getNdjson("/__fake/followers");
  nlohmann::json left = nlohmann::json::array();
  for (size_t i = 0; i < 10; ++i) left.push_back(before[i * 50]["openid"]);
  fake.postJson("/__fake/followers", {{"remove", left}});
  fake.postJson("/__fake/config", {{"total_surplus", 10}});  // 10: the floor of the tolerance
  SyncRun run = bed.sync(quickSync());
  BOOST_TEST(syncStateName(run.state) == std::string("completed"), run.lastError);
  BOOST_TEST(run.followers == 590);
  BOOST_TEST(run.total == 600);
  BOOST_TEST(run.unsubscribed == 10);
}

BOOST_AUTO_TEST_CASE(batches_given_up_on_leave_the_run_incomplete_and_mark_nothing) {
  FakeWechatProcess fake({"--followers", "800", "--page-size", "100", "--seed", "8"});
  StoreSettings db = migratedStoreSettings("sqlite");
  Bed bed(db, fakeCredentials(fake.baseUrl(), 5, 20));
  BOOST_REQUIRE((bed.sync(quickSync()).state == SyncState::Completed));
  auto before = fake.getNdjson("/__fake/followers");
  fake.postJson("/__fake/followers", {{"remove", {before[10]["openid"]}}});
  fake.postJson("/__fake/config", {{"fail_rate", 0.3}});
  WechatClientSettings client = fakeCredentials(fake.baseUrl(), 5, 20);
  client.maxAttempts = 1;
  Bed flaky(db, client);
  SyncSettings once = quickSync();
  once.retryAttempts = 1;  // a failed batch is given up on at once
  SyncRun run;
  for (int attempt = 0; attempt < 100; ++attempt) {  // user/get failures interrupt; resume
    run = flaky.sync(once);
    if (!isResumable(run.state)) break;
  }
  BOOST_TEST(syncStateName(run.state) == std::string("incomplete"));
  BOOST_TEST(run.skipped > 0);
  BOOST_TEST(run.unsubscribed == 0);
  BOOST_TEST(bed.store->accounts().findByOaOpenid(before[10]["openid"])->subscribed);
}

BOOST_DATA_TEST_CASE(only_one_sync_runs_at_a_time, boost::unit_test::data::make(kBackends),
                     backend) {
  FakeWechatProcess fake({"--followers", "10"});
  StoreSettings db = migratedStoreSettings(backend);
  Bed a(db, fakeCredentials(fake.baseUrl(), 5, 20));
  Bed b(db, fakeCredentials(fake.baseUrl(), 5, 20));
  SyncEngine first(a.store->accounts(), a.store->syncRuns(), a.store->leases(), a.wx.platform,
                   a.clock, quickSync());
  SyncEngine second(b.store->accounts(), b.store->syncRuns(), b.store->leases(), b.wx.platform,
                    b.clock, quickSync());
  auto running = first.begin(false);
  BOOST_REQUIRE(running.has_value());
  auto refused = second.begin(false);
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().owner == (*running)->run().owner);
  BOOST_TEST(((*running)->execute().state == SyncState::Completed));
  running->reset();  // releases the lease
  BOOST_TEST(second.begin(false).has_value());
}

BOOST_AUTO_TEST_CASE(write_back_fills_the_application_table_in_the_same_batches) {
  FakeWechatProcess fake({"--followers", "700", "--unionid-ratio", "0.7", "--page-size", "200"});
  StoreSettings db = migratedStoreSettings("mysql");
  MysqlDb app(db, wallClock());
  auto followers = fake.getNdjson("/__fake/followers");
  const Stmt<std::string> insert = "INSERT INTO app_account(unionid) VALUES (?)";
  app.session([&](Session& s) {
    s.executeScript(
        "CREATE TABLE app_account (unionid VARCHAR(64) PRIMARY KEY, oaopenid VARCHAR(64))");
    for (const auto& f : followers) {
      if (f.contains("unionid")) s.exec(insert, f["unionid"].get<std::string>());
    }
  });
  Bed bed(db, fakeCredentials(fake.baseUrl(), 5, 20));
  SyncSettings settings = quickSync();
  settings.writeBackStatement = "UPDATE app_account SET oaopenid = ? WHERE unionid = ?";
  BOOST_REQUIRE((bed.sync(settings).state == SyncState::Completed));
  const Stmt<std::string> select =
      "SELECT COALESCE(oaopenid, '') FROM app_account WHERE unionid = ?";
  int wrong = 0;
  for (const auto& f : followers) {
    if (!f.contains("unionid")) continue;
    auto stored = app.queryOne<std::string>(select, f["unionid"].get<std::string>());
    if (stored != f["openid"].get<std::string>()) ++wrong;
  }
  BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
