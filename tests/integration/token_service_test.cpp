// The access_token service against the real fake-wechat and a real store: reuse across
// restarts, one fetch for several processes sharing MariaDB, rejection and refresh, rotation in
// the middle of a run, and the platform's forced-refresh limits.
#include "wechat/token_service.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/open_store.h"
#include "support/fake_wechat_process.h"
#include "support/platform_clients.h"
#include "support/test_store.h"
#include "support/wechat_client_fixtures.h"
#include "wechat/china_day.h"

namespace wxb::test {

namespace {

int64_t tokensIssued(const FakeWechatProcess& fake, const char* app = "oa") {
  return fake.stats()["tokens_issued"][app].get<int64_t>();
}

// One instance of wxbridge as far as tokens go: its own store connection, clients and service.
struct Instance {
  std::unique_ptr<Store> store;
  PlatformClients wx;

  Instance(const StoreSettings& storeSettings, const FakeWechatProcess& fake, const Clock& clock,
           TokenServiceSettings settings = {})
      : store(openStore(storeSettings, clock)),
        wx(*store, fakeCredentials(fake.baseUrl(), 10, 50), clock, std::move(settings)) {}
};

}  // namespace

BOOST_AUTO_TEST_SUITE(token_service)

BOOST_AUTO_TEST_CASE(a_restarted_instance_reuses_the_stored_token) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  std::string first;
  {
    Instance a(db, fake, clock);
    first = a.wx.tokens.accessToken(App::Oa).value();
  }
  Instance b(db, fake, clock);
  BOOST_TEST(b.wx.tokens.accessToken(App::Oa).value() == first);
  BOOST_TEST(tokensIssued(fake) == 1);
}

BOOST_AUTO_TEST_CASE(processes_sharing_mariadb_fetch_one_token_between_them) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("mysql");
  auto dir = std::filesystem::temp_directory_path() / ("wxb-tok-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      SystemClock clock;
      Instance mine(db, fake, clock);
      auto token = mine.wx.tokens.accessToken(App::Oa);
      auto page = mine.wx.platform.getFollowers("");  // the token works for a real call
      std::ofstream(dir / std::to_string(i)) << (token && page ? *token : "failed");
      _exit(token && page ? 0 : 1);
    }
    children.push_back(pid);
  }
  std::set<std::string> tokens;
  for (size_t i = 0; i < children.size(); ++i) {
    int status = 0;
    waitpid(children[i], &status, 0);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    std::ifstream in(dir / std::to_string(i));
    std::string t;
    in >> t;
    tokens.insert(t);
  }
  BOOST_TEST(tokens.size() == 1u);
  BOOST_TEST(tokensIssued(fake) == 1);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_token_invalidated_by_the_platform_is_replaced_and_the_call_succeeds) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  Instance a(db, fake, clock);
  std::string before = a.wx.tokens.accessToken(App::Oa).value();
  fake.post("/__fake/invalidate-token", R"({"app":"oa"})");
  auto page = a.wx.platform.getFollowers("");
  BOOST_TEST(page.has_value());
  std::string after = a.wx.tokens.accessToken(App::Oa).value();
  BOOST_TEST(after != before);
  BOOST_TEST(a.store->tokens().load("oa")->version == 2);
  BOOST_TEST(tokensIssued(fake) == 2);
}

BOOST_AUTO_TEST_CASE(a_platform_killing_the_token_every_n_calls_costs_one_refresh_each_time) {
  // The fault soak's churn (bench/soak.sh): the 3rd and 6th calls kill the token after they
  // succeed, so the 4th and 7th are refused once, refreshed, and retried.
  FakeWechatProcess fake({"--invalidate-token-every", "3"});
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  Instance a(db, fake, clock);
  for (int i = 0; i < 7; ++i) BOOST_TEST(a.wx.platform.getFollowers("").has_value());
  BOOST_TEST(fake.errcodeCount("40001") == 2);
  BOOST_TEST(tokensIssued(fake) == 3);
}

BOOST_AUTO_TEST_CASE(tokens_rotating_in_the_middle_of_a_run_never_fail_a_call) {
  FakeWechatProcess fake({"--token-ttl", "1"});
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  TokenServiceSettings settings;
  settings.usableMarginMs = 200;
  Instance a(db, fake, clock, settings);
  int failures = 0;
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(3500);
  while (std::chrono::steady_clock::now() < end) {
    if (!a.wx.platform.getFollowers("")) ++failures;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_TEST(failures == 0);
  BOOST_TEST(tokensIssued(fake) >= 3);
  BOOST_TEST(a.store->tokens().load("oa")->version >= 3);
}

BOOST_AUTO_TEST_CASE(refresh_ahead_renews_before_expiry_and_not_earlier) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  ManualClock clock(SystemClock().nowMs());
  TokenServiceSettings settings;
  settings.stableEndpoint = false;  // the classic endpoint rotates on every fetch
  settings.refreshAheadMs = 600'000;
  Instance a(db, fake, clock, settings);
  auto first = a.wx.tokens.refreshIfDue(App::Oa).value();
  clock.advance(3'600'000);  // 60 min left of 120: not due
  BOOST_TEST(a.wx.tokens.refreshIfDue(App::Oa).value().version == first.version);
  clock.advance(3'100'000);  // under 10 min left: due
  auto renewed = a.wx.tokens.refreshIfDue(App::Oa).value();
  BOOST_TEST(renewed.version == first.version + 1);
  BOOST_TEST(renewed.accessToken != first.accessToken);
  BOOST_TEST(fake.callCount("/cgi-bin/token") == 2);
}

BOOST_AUTO_TEST_CASE(a_stale_report_of_an_old_token_returns_the_current_one_without_fetching) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  Instance a(db, fake, clock);
  auto current = a.wx.tokens.currentToken(App::Oa).value();
  auto answer = a.wx.tokens.refreshStale(App::Oa, "an-old-token-nobody-has-any-more");
  BOOST_TEST(answer.value().accessToken == current.accessToken);
  BOOST_TEST(tokensIssued(fake) == 1);
}

BOOST_AUTO_TEST_CASE(a_stale_report_of_a_token_the_platform_accepts_keeps_it_and_spends_nothing) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  Instance a(db, fake, clock);
  auto current = a.wx.tokens.currentToken(App::Oa).value();
  // A business server used the token on an API it does not cover and blames the token.
  auto answer = a.wx.tokens.refreshStale(App::Oa, current.accessToken);
  BOOST_REQUIRE(answer.has_value());
  BOOST_TEST(answer->accessToken == current.accessToken);
  BOOST_TEST(answer->version == current.version);
  BOOST_TEST(fake.callCount("/cgi-bin/get_api_domain_ip") == 1);
  BOOST_TEST(fake.callCount("/cgi-bin/stable_token") == 1);  // the first fetch only
  BOOST_TEST(tokensIssued(fake) == 1);
  BOOST_TEST(a.store->tokens().forcedRefreshesOn("oa", chinaDay(clock.nowMs())) == 0);
  BOOST_TEST(a.wx.platform.getFollowers("").has_value());  // still the working token
}

BOOST_AUTO_TEST_CASE(a_stale_report_the_platform_confirms_refreshes_without_forcing) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  Instance a(db, fake, clock);
  auto current = a.wx.tokens.currentToken(App::Oa).value();
  fake.post("/__fake/invalidate-token", R"({"app":"oa"})");
  auto answer = a.wx.tokens.refreshStale(App::Oa, current.accessToken);
  BOOST_REQUIRE(answer.has_value());
  BOOST_TEST(answer->accessToken != current.accessToken);
  BOOST_TEST(a.store->tokens().forcedRefreshesOn("oa", chinaDay(clock.nowMs())) == 0);
  BOOST_TEST(a.wx.platform.getFollowers("").has_value());
}

BOOST_AUTO_TEST_CASE(a_stale_report_the_platform_cannot_judge_changes_nothing) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  SystemClock clock;
  Instance a(db, fake, clock);
  auto current = a.wx.tokens.currentToken(App::Oa).value();
  fake.post("/__fake/config", R"({"busy_rate":1})");
  auto answer = a.wx.tokens.refreshStale(App::Oa, current.accessToken);
  BOOST_REQUIRE(!answer.has_value());
  BOOST_TEST((answer.error().kind == WechatError::Kind::Busy));
  BOOST_TEST(a.store->tokens().load("oa")->version == current.version);
  BOOST_TEST(a.store->tokens().forcedRefreshesOn("oa", chinaDay(clock.nowMs())) == 0);
  BOOST_TEST(fake.callCount("/cgi-bin/stable_token") == 1);
}

BOOST_AUTO_TEST_CASE(forced_refreshes_are_limited_to_one_per_30_seconds) {
  FakeWechatProcess fake;
  StoreSettings db = migratedStoreSettings("sqlite");
  ManualClock clock(SystemClock().nowMs());
  Instance a(db, fake, clock);
  auto first = a.wx.tokens.currentToken(App::Oa).value();
  // The APIs reject `first` but stable_token keeps returning it: only a forced refresh helps.
  fake.post("/__fake/invalidate-token", R"({"app":"oa","stuck":true})");
  auto forced = a.wx.tokens.refreshStale(App::Oa, first.accessToken);
  BOOST_REQUIRE(forced.has_value());
  BOOST_TEST(forced->accessToken != first.accessToken);
  fake.post("/__fake/invalidate-token", R"({"app":"oa","stuck":true})");
  auto again = a.wx.tokens.refreshStale(App::Oa, forced->accessToken);
  BOOST_REQUIRE(!again.has_value());
  BOOST_TEST((again.error().kind == WechatError::Kind::Frequency));
  BOOST_TEST(a.store->tokens().forcedRefreshesOn("oa", chinaDay(clock.nowMs())) == 1);
  BOOST_TEST(fake.stats()["tokens_issued"]["oa"].get<int>() == 2);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
