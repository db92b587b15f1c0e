// POST /v1/sync:run and GET /v1/sync/runs/latest on a real `wxbridge serve`: 404 before any
// run, 202 with the run id, 409 while it runs, the record once done, 400 for a bad body, and
// the sync metrics; SIGTERM stops a running sync resumably, at once even when its platform is
// gone (both backends).
#include <sys/wait.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "store/open_store.h"
#include "store/sync_runs/sync_runs.h"
#include "support/eventually.h"
#include "support/fake_wechat_process.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

nlohmann::json json(const ListeningProcess::Reply& reply) {
  return nlohmann::json::parse(reply.body);
}

// Sets an environment variable for one test (serve reads secrets from its environment).
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name.c_str()); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sync_routes)

BOOST_AUTO_TEST_CASE(a_run_starts_in_the_background_and_its_record_is_served) {
  FakeWechatProcess fake({"--followers", "2000", "--page-size", "100", "--latency-ms", "20"});
  StoreSettings db = freshStoreSettings("sqlite");
  ScopedEnv secret("WXBRIDGE_WECHAT_OA_SECRET", "oasecret");
  WxbridgeServe s({"store.url=sqlite:" + db.sqlitePath, "wechat.api_base=" + fake.baseUrl(),
                   "wechat.oa.appid=wxfakeoa", "sync.concurrency=2"});
  BOOST_TEST(s.call("GET", "/v1/sync/runs/latest").status == 404);
  BOOST_TEST(s.call("POST", "/v1/sync:run", R"({"restart":"yes"})").status == 400);

  auto started = s.call("POST", "/v1/sync:run");
  BOOST_REQUIRE_MESSAGE(started.status == 202, started.body);
  const int64_t runId = json(started)["run_id"].get<int64_t>();
  BOOST_TEST(json(started)["state"] == "running");
  BOOST_TEST(json(started)["resumed"] == false);
  auto again = s.call("POST", "/v1/sync:run", R"({"restart":false})");
  BOOST_TEST(again.status == 409);
  BOOST_TEST(json(again)["error"]["code"] == "sync_running");

  nlohmann::json latest;
  eventually(
      [&] {
        latest = json(s.call("GET", "/v1/sync/runs/latest"));
        return latest["state"] != "running";
      },
      10000, 25);
  BOOST_TEST(latest["run_id"] == runId);
  BOOST_TEST(latest["state"] == "completed");
  BOOST_TEST(latest["followers"] == 2000);
  BOOST_TEST(latest["pages"] == 21);
  BOOST_TEST(openStore(db, wallClock())->accounts().count() == 2000);

  std::string metrics = s.request("GET", "/metrics").body;
  BOOST_TEST(metrics.find("wxbridge_sync_runs_total{state=\"completed\"} 1") != std::string::npos,
             metrics);
  BOOST_TEST(metrics.find("wxbridge_sync_followers 2000") != std::string::npos);
  BOOST_TEST(s.call("POST", "/v1/sync:run").status == 202);  // free again once done
}

BOOST_AUTO_TEST_CASE(sigterm_stops_a_running_sync_resumably_and_exits_zero) {
  FakeWechatProcess fake({"--followers", "5000", "--page-size", "100", "--latency-ms", "20"});
  StoreSettings db = freshStoreSettings("sqlite");
  ScopedEnv secret("WXBRIDGE_WECHAT_OA_SECRET", "oasecret");
  WxbridgeServe s({"store.url=sqlite:" + db.sqlitePath, "wechat.api_base=" + fake.baseUrl(),
                   "wechat.oa.appid=wxfakeoa"});
  BOOST_REQUIRE(s.call("POST", "/v1/sync:run").status == 202);
  eventually([&] { return json(s.call("GET", "/v1/sync/runs/latest"))["pages"] >= 3; }, 4000, 10);
  const auto start = std::chrono::steady_clock::now();
  int status = s.stop(10000);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  const auto stoppingMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
  BOOST_TEST(stoppingMs < 3000);
  auto run = openStore(db, wallClock())->syncRuns().latestRun();
  BOOST_REQUIRE(run);
  BOOST_TEST(syncStateName(run->state) == std::string("interrupted"));
  BOOST_TEST(run->lastError == "shutting down");
  BOOST_TEST(run->pages >= 3);
  BOOST_TEST(run->pages < 51);
}

// The platform is gone (its port refuses connections) and the run's first call - the token
// fetch - would be retried 10 times with backoff (about 20 s): SIGTERM ends serve within
// seconds all the same, because the run's threads are under its StopSignal, and the run is left
// interrupted, to be resumed.
BOOST_DATA_TEST_CASE(sigterm_does_not_wait_for_the_retries_of_a_sync_whose_platform_is_gone,
                     boost::unit_test::data::make(kBackends), backendName) {
  std::string gone;
  {
    FakeWechatProcess fake({"--followers", "10"});
    gone = fake.baseUrl();
  }
  StoreSettings db = migratedStoreSettings(backendName);
  ScopedEnv secret("WXBRIDGE_WECHAT_OA_SECRET", "oasecret");
  ScopedEnv password("WXBRIDGE_STORE_PASSWORD", db.password);
  WxbridgeServe s({"store.url=" + storeUrl(db), "wechat.api_base=" + gone,
                   "wechat.oa.appid=wxfakeoa", "wechat.max_attempts=10"});
  BOOST_REQUIRE(s.call("POST", "/v1/sync:run").status == 202);
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));  // deep in the retries
  const auto start = std::chrono::steady_clock::now();
  int status = s.stop(90'000);
  const auto stoppingMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
  BOOST_TEST_MESSAGE("serve stopped in " << stoppingMs << " ms");
  BOOST_TEST(stoppingMs < 5'000);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "wait status " << status);
  auto run = openStore(db, wallClock())->syncRuns().latestRun();
  BOOST_REQUIRE(run);
  BOOST_TEST(syncStateName(run->state) == std::string("interrupted"));
  BOOST_TEST(run->pages == 0);
}

BOOST_AUTO_TEST_CASE(without_an_official_account_the_sync_is_not_configured) {
  StoreSettings db = freshStoreSettings("sqlite");
  WxbridgeServe s({"store.url=sqlite:" + db.sqlitePath});
  auto r = s.call("POST", "/v1/sync:run");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(json(r)["error"]["code"] == "app_not_configured");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
