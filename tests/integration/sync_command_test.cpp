// `wxbridge sync` as a process: killed with SIGKILL in the middle of a run against a slow
// fake-wechat, the next `wxbridge sync` resumes from the checkpoint - fetching again only the
// page that was in flight - and ends with the same accounts as a clean run. Also its summary,
// progress output and exit codes. On SQLite and MariaDB.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "store/open_store.h"
#include "store/sync_runs/sync_runs.h"
#include "support/command_process.h"
#include "support/eventually.h"
#include "support/fake_wechat_process.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

const std::vector<std::string> kSlowFake = {"--followers", "3000", "--page-size",  "100",
                                            "--seed",      "11",   "--latency-ms", "20"};

std::vector<std::string> syncArgs(const StoreSettings& db, const FakeWechatProcess& fake,
                                  std::vector<std::string> extra = {"sync"}) {
  std::vector<std::string> args = {"--set", "store.url=" + storeUrl(db),
                                   "--set", "wechat.api_base=" + fake.baseUrl(),
                                   "--set", "wechat.oa.appid=wxfakeoa",
                                   "--set", "sync.concurrency=2",
                                   "--set", "sync.qps=0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::map<std::string, std::string> secrets(const StoreSettings& db) {
  return {{"WXBRIDGE_WECHAT_OA_SECRET", "oasecret"}, {"WXBRIDGE_STORE_PASSWORD", db.password}};
}

// Accounts of the fake's followers that differ between two stores, plus the row-count gap.
int differences(Store& a, Store& b, const std::vector<nlohmann::json>& followers) {
  int different = static_cast<int>(std::abs(a.accounts().count() - b.accounts().count()));
  for (const auto& f : followers) {
    auto x = a.accounts().findByOaOpenid(f["openid"]);
    auto y = b.accounts().findByOaOpenid(f["openid"]);
    if (!x || !y || x->unionid != y->unionid || x->subscribed != y->subscribed) ++different;
  }
  return different;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sync_command)

BOOST_DATA_TEST_CASE(resumes_after_kill_9_refetching_only_the_page_in_flight,
                     boost::unit_test::data::make(kBackends), backend) {
  FakeWechatProcess cleanFake(kSlowFake);
  StoreSettings cleanDb = migratedStoreSettings(backend);
  auto clean = runWxbridge(syncArgs(cleanDb, cleanFake), secrets(cleanDb));
  BOOST_REQUIRE_MESSAGE(clean.exitCode == 0, clean.err);
  const int64_t cleanPages = cleanFake.callCount("/cgi-bin/user/get");
  BOOST_TEST(cleanPages == 31);

  FakeWechatProcess fake(kSlowFake);
  StoreSettings db = migratedStoreSettings(backend);
  CommandProcess killed(WxbridgeServe::binary(), syncArgs(db, fake), secrets(db));
  waitUntil([&] { return fake.callCount("/cgi-bin/user/get") >= 12; }, 20000, "12 pages");
  BOOST_TEST(killed.kill9() == 128 + 9);
  const int64_t fetchedBeforeKill = fake.callCount("/cgi-bin/user/get");
  auto store = openStore(db, wallClock());
  auto checkpoint = store->syncRuns().latestRun();
  BOOST_REQUIRE(checkpoint);
  BOOST_TEST(syncStateName(checkpoint->state) == std::string("running"));
  BOOST_TEST(checkpoint->pages >= 10);
  BOOST_TEST(fetchedBeforeKill - checkpoint->pages <= 1);  // at most the page in flight

  auto resumed = runWxbridge(syncArgs(db, fake), secrets(db));
  BOOST_REQUIRE_MESSAGE(resumed.exitCode == 0, resumed.err);
  nlohmann::json summary = lastJsonLine(resumed.out);
  BOOST_TEST(summary["run_id"] == checkpoint->id);
  BOOST_TEST(summary["state"] == "completed");
  BOOST_TEST(summary["resumes"] == 1);
  BOOST_TEST(summary["followers"] == 3000);
  BOOST_TEST(fake.callCount("/cgi-bin/user/get") - fetchedBeforeKill ==
             cleanPages - checkpoint->pages);
  BOOST_TEST(fake.callCount("/cgi-bin/user/get") <= cleanPages + 1);
  auto cleanStore = openStore(cleanDb, wallClock());
  BOOST_TEST(differences(*store, *cleanStore, fake.getNdjson("/__fake/followers")) == 0);
}

BOOST_AUTO_TEST_CASE(prints_progress_on_stderr_and_a_summary_line_on_stdout) {
  FakeWechatProcess fake({"--followers", "450", "--page-size", "100"});
  StoreSettings db = migratedStoreSettings("sqlite");
  auto first = runWxbridge(syncArgs(db, fake), secrets(db));
  BOOST_REQUIRE_MESSAGE(first.exitCode == 0, first.err);
  nlohmann::json summary = lastJsonLine(first.out);
  BOOST_TEST(summary["state"] == "completed");
  BOOST_TEST(summary["pages"] == 6);
  BOOST_TEST(summary["mapped"].get<int>() > 0);
  BOOST_TEST(summary["finished_at"].is_string());
  BOOST_TEST(first.err.find("450/450 followers") != std::string::npos, first.err);
  auto again = runWxbridge(syncArgs(db, fake, {"sync", "--restart"}), secrets(db));
  BOOST_TEST(again.exitCode == 0);
  BOOST_TEST(lastJsonLine(again.out)["run_id"].get<int>() == summary["run_id"].get<int>() + 1);
}

BOOST_AUTO_TEST_CASE(a_truncated_list_exits_1_saying_why_and_marks_nobody) {
  FakeWechatProcess fake({"--followers", "300", "--page-size", "100", "--total-surplus", "50"});
  StoreSettings db = migratedStoreSettings("sqlite");
  auto result = runWxbridge(syncArgs(db, fake), secrets(db));
  BOOST_TEST(result.exitCode == 1);
  nlohmann::json summary = lastJsonLine(result.out);
  BOOST_TEST(summary["state"] == "truncated");
  BOOST_TEST(summary["followers"] == 300);
  BOOST_TEST(summary["total"] == 350);
  BOOST_TEST(summary["unsubscribed"] == 0);
  BOOST_TEST(summary["last_error"].get<std::string>().find(
                 "50 missing, more than the 10 tolerated") != std::string::npos);
  BOOST_TEST(
      result.err.find("run 1 truncated: the follower list ended after 300") != std::string::npos,
      result.err);
}

BOOST_AUTO_TEST_CASE(usage_and_configuration_errors_exit_2_naming_the_problem) {
  FakeWechatProcess fake({"--followers", "10"});
  StoreSettings db = migratedStoreSettings("sqlite");
  auto usage = runWxbridge(syncArgs(db, fake, {"sync", "--bogus"}), secrets(db));
  BOOST_TEST(usage.exitCode == 2);
  auto noOa = runWxbridge({"--set", "store.url=" + storeUrl(db), "sync"});
  BOOST_TEST(noOa.exitCode == 2);
  BOOST_TEST(noOa.err.find("wechat.oa.appid") != std::string::npos);
  auto writeBack = runWxbridge(
      syncArgs(db, fake,
               {"--set", "sync.writeback.statement=UPDATE a SET b = ? WHERE c = ?", "sync"}),
      secrets(db));
  BOOST_TEST(writeBack.exitCode == 2);
  BOOST_TEST(writeBack.err.find("sync.writeback.statement") != std::string::npos);
  auto badCron =
      runWxbridge(syncArgs(db, fake, {"--set", "sync.cron=61 * * * *", "sync"}), secrets(db));
  BOOST_TEST(badCron.exitCode == 2);
  BOOST_TEST(badCron.err.find("sync.cron") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
