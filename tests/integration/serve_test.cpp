// `wxbridge serve` as a real process on a free port, talked to over HTTP: routes, access
// control, limits, the token service for business servers, MP login, metrics, a store outage
// and graceful shutdown.
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "bridge/http/api_keys.h"
#include "store/open_store.h"
#include "support/fake_wechat_process.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

nlohmann::json json(const ListeningProcess::Reply& reply) {
  return nlohmann::json::parse(reply.body);
}

std::string errorCode(const ListeningProcess::Reply& reply) {
  return json(reply)["error"]["code"].get<std::string>();
}

// A store with three followers (one without unionid) and a serve process over it.
struct ServeFixture {
  StoreSettings db = freshStoreSettings("sqlite");
  ServeFixture() {
    auto store = openStore(db, wallClock());
    store->migrate();
    store->accounts().upsertFollowers(
        {{"oaAlice", "unAlice", true}, {"oaBob", "unBob", false}, {"oaNoUnion", "", true}},
        1'700'000'000'000);
  }
  WxbridgeServe serve(std::vector<std::string> sets = {}) const {
    sets.push_back("store.url=" + storeUrl(db));
    return WxbridgeServe(sets);
  }
};

void scripts(const std::string& command) {
  const char* dir = std::getenv("WXB_SCRIPTS_DIR");
  const char* db = std::getenv("WXB_TEST_MARIADB_DIR");
  BOOST_REQUIRE_MESSAGE(dir && db,
                        "run through scripts/test (WXB_SCRIPTS_DIR, WXB_TEST_MARIADB_DIR)");
  std::string line = std::string(dir) + "/mariadb " + command + " " + db + " 2>/dev/null";
  BOOST_REQUIRE(std::system(line.c_str()) == 0);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(serve, ServeFixture)

BOOST_AUTO_TEST_CASE(health_is_public_and_v1_needs_the_api_key) {
  auto s = serve();
  BOOST_TEST(s.request("GET", "/healthz").status == 200);
  BOOST_TEST(json(s.request("GET", "/readyz"))["status"] == "ready");
  auto anonymous = s.request("GET", "/v1/accounts/unAlice");
  BOOST_TEST(anonymous.status == 401);
  BOOST_TEST(errorCode(anonymous) == "unauthorized");
  auto wrongKey = s.request("GET", "/v1/accounts/unAlice", "", {{"Authorization", "Bearer nope"}});
  BOOST_TEST(wrongKey.status == 401);
  auto basic = s.request("GET", "/v1/accounts/unAlice", "", {{"Authorization", "Basic eDp5"}});
  BOOST_TEST(basic.status == 401);
  BOOST_TEST(s.call("GET", "/v1/accounts/unAlice").status == 200);
}

BOOST_AUTO_TEST_CASE(account_lookup_by_unionid) {
  auto s = serve();
  auto alice = s.call("GET", "/v1/accounts/unAlice");
  BOOST_TEST(alice.status == 200);
  BOOST_TEST(json(alice)["oa_openid"] == "oaAlice");
  BOOST_TEST(json(alice)["subscribed"] == true);
  BOOST_TEST(json(alice)["mp_openid"].is_null());
  BOOST_TEST(json(alice)["synced_at"] == "2023-11-14T22:13:20.000Z");
  BOOST_TEST(json(s.call("GET", "/v1/accounts/unBob"))["subscribed"] == false);
  auto unknown = s.call("GET", "/v1/accounts/unNobody");
  BOOST_TEST(unknown.status == 404);
  BOOST_TEST(errorCode(unknown) == "not_found");
  auto bad = s.call("GET", "/v1/accounts/bad$id");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(json(bad)["error"]["message"].get<std::string>().starts_with("unionid:"));
}

BOOST_AUTO_TEST_CASE(batch_lookup_splits_found_and_missing) {
  auto s = serve();
  auto r =
      s.call("POST", "/v1/accounts:lookup", R"({"unionids":["unAlice","unX","unBob","unAlice"]})");
  BOOST_TEST(r.status == 200);
  auto body = json(r);
  BOOST_TEST(body["found"].size() == 2u);
  BOOST_TEST(body["missing"] == nlohmann::json::array({"unX"}));
}

BOOST_AUTO_TEST_CASE(bad_bodies_get_400_naming_the_field) {
  auto s = serve();
  auto notJson = s.call("POST", "/v1/accounts:lookup", "{\"unionids\": [");
  BOOST_TEST(notJson.status == 400);
  BOOST_TEST(errorCode(notJson) == "invalid_json");
  auto missing = s.call("POST", "/v1/accounts:lookup", "{}");
  BOOST_TEST(missing.status == 400);
  BOOST_TEST(json(missing)["error"]["message"].get<std::string>().starts_with("unionids"));
  auto wrongItem = s.call("POST", "/v1/accounts:lookup", R"({"unionids":["ok", 7]})");
  BOOST_TEST(json(wrongItem)["error"]["message"].get<std::string>().starts_with("unionids[1]"));
  nlohmann::json many = {{"unionids", nlohmann::json::array()}};
  for (int i = 0; i < 1001; ++i) many["unionids"].push_back("u" + std::to_string(i));
  BOOST_TEST(s.call("POST", "/v1/accounts:lookup", many.dump()).status == 400);
  BOOST_TEST(s.call("POST", "/v1/mp/sessions", R"({"code": ""})").status == 400);
  BOOST_TEST(s.call("POST", "/v1/tokens/oa:refresh", R"({"stale": 1})").status != 500);
}

BOOST_AUTO_TEST_CASE(unknown_routes_404_and_wrong_methods_405) {
  auto s = serve();
  BOOST_TEST(s.call("GET", "/v1/nothing-here").status == 404);
  BOOST_TEST(s.request("GET", "/").status == 404);
  auto wrong = s.call("DELETE", "/v1/accounts/unAlice");
  BOOST_TEST(wrong.status == 405);
  BOOST_TEST(errorCode(wrong) == "method_not_allowed");
  BOOST_TEST(s.call("GET", "/v1/accounts:lookup").status == 405);
}

BOOST_AUTO_TEST_CASE(percent_encoded_slashes_stay_inside_their_path_segment) {
  auto s = serve();
  BOOST_TEST(s.call("GET", "/v1/accounts/un%41lice").status == 200);  // %41 is "A"
  // Decoded before the split, %2F used to become a separator: this reached the account.
  BOOST_TEST(s.call("GET", "/v1/accounts%2FunAlice").status == 404);
  BOOST_TEST(s.call("GET", "/v1%2Ftokens%2Foa").status == 404);
  auto slashInId = s.call("GET", "/v1/accounts/un%2FAlice");
  BOOST_TEST(slashInId.status == 400);
  BOOST_TEST(json(slashInId)["error"]["message"].get<std::string>().starts_with("unionid"));
  auto malformed = s.call("GET", "/v1/accounts/un%zz");
  BOOST_TEST(malformed.status == 400);
  BOOST_TEST(errorCode(malformed) == "invalid_uri");
}

BOOST_AUTO_TEST_CASE(oversized_bodies_get_413) {
  auto s = serve({"http.max_body_bytes=1024"});
  std::string big = R"({"unionids":[")" + std::string(2000, 'a') + R"("]})";
  auto r = s.call("POST", "/v1/accounts:lookup", big);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(errorCode(r) == "body_too_large");
}

BOOST_AUTO_TEST_CASE(peers_outside_the_allowlist_get_403_even_with_a_key) {
  auto s = serve({"http.allow=10.0.0.0/8, fd00::/8"});
  auto r = s.call("GET", "/v1/accounts/unAlice");
  BOOST_TEST(r.status == 403);
  BOOST_TEST(errorCode(r) == "forbidden");
  BOOST_TEST(s.request("GET", "/metrics").status == 403);
  BOOST_TEST(s.request("GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(forwarded_for_counts_only_from_trusted_proxies) {
  std::map<std::string, std::string> headers = {
      {"Authorization", std::string("Bearer ") + kTestApiKey}, {"X-Forwarded-For", "203.0.113.9"}};
  auto untrusted = serve({"http.allow=203.0.113.0/24"});
  BOOST_TEST(untrusted.request("GET", "/v1/accounts/unAlice", "", headers).status == 403);
  auto trusted = serve({"http.allow=203.0.113.0/24", "http.trusted_proxies=127.0.0.1"});
  BOOST_TEST(trusted.request("GET", "/v1/accounts/unAlice", "", headers).status == 200);
}

BOOST_AUTO_TEST_CASE(metrics_are_prometheus_text_with_request_counts) {
  auto s = serve();
  s.call("GET", "/v1/accounts/unAlice");
  s.call("GET", "/v1/accounts/unNobody");
  auto r = s.request("GET", "/metrics");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.find("# TYPE wxbridge_http_requests_total counter") != std::string::npos);
  BOOST_TEST(r.body.find("# TYPE wxbridge_http_request_duration_seconds histogram") !=
             std::string::npos);
  BOOST_TEST(
      r.body.find(
          R"(wxbridge_http_requests_total{route="/v1/accounts/{unionid}",method="GET",status="404"} 1)") !=
      std::string::npos);
  BOOST_TEST(r.body.find(R"(le="+Inf")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_second_serve_on_a_port_in_use_exits_instead_of_sharing_it) {
  auto first = serve();
  std::string port = std::to_string(first.port());
  // Before the fix both listened (SO_REUSEPORT) and the kernel split the connections.
  BOOST_REQUIRE_THROW(serve({"http.port=" + port}), std::runtime_error);
  auto second =
      runWxbridge({"--set", "store.url=" + storeUrl(db), "--set", "http.port=" + port, "serve"});
  BOOST_TEST(second.exitCode == 1);
  BOOST_TEST(second.err.find("127.0.0.1:" + port) != std::string::npos, second.err);
  BOOST_TEST(second.err.find("in use") != std::string::npos, second.err);
  BOOST_TEST(first.request("GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(sigterm_drains_and_exits_zero) {
  auto s = serve();
  BOOST_TEST(s.request("GET", "/healthz").status == 200);
  int status = s.stop(10000);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_AUTO_TEST_CASE(business_servers_get_the_central_token_and_mp_logins_are_recorded) {
  FakeWechatProcess fake;
  setenv("WXBRIDGE_WECHAT_OA_SECRET", "oasecret", 1);
  setenv("WXBRIDGE_WECHAT_MP_SECRET", "mpsecret", 1);
  auto s = serve({"wechat.api_base=" + fake.baseUrl(), "wechat.oa.appid=wxfakeoa",
                  "wechat.mp.appid=wxfakemp"});
  auto first = s.call("GET", "/v1/tokens/oa");
  BOOST_TEST(first.status == 200);
  auto token = json(first)["access_token"].get<std::string>();
  BOOST_TEST(json(s.call("GET", "/v1/tokens/oa"))["access_token"] == token);
  auto stale = s.call("POST", "/v1/tokens/oa:refresh", R"({"stale_token":"long-gone"})");
  BOOST_TEST(json(stale)["access_token"] == token);
  BOOST_TEST(fake.stats()["tokens_issued"]["oa"] == 1);
  BOOST_TEST(s.call("GET", "/v1/tokens/xx").status == 404);

  std::string code = fake.mintLoginCode("mpAlice", "unAlice");
  auto login = s.call("POST", "/v1/mp/sessions", nlohmann::json{{"code", code}}.dump());
  BOOST_TEST(login.status == 200);
  BOOST_TEST(json(login)["mp_openid"] == "mpAlice");
  BOOST_TEST(json(login)["oa_openid"] == "oaAlice");
  BOOST_TEST(json(login)["subscribed"] == true);
  BOOST_TEST(login.body.find("session_key") == std::string::npos);
  BOOST_TEST(json(s.call("GET", "/v1/accounts/unAlice"))["mp_openid"] == "mpAlice");
  auto reused = s.call("POST", "/v1/mp/sessions", nlohmann::json{{"code", code}}.dump());
  BOOST_TEST(reused.status == 400);
  BOOST_TEST(json(reused)["error"]["message"].get<std::string>().starts_with("code:"));
  unsetenv("WXBRIDGE_WECHAT_OA_SECRET");
  unsetenv("WXBRIDGE_WECHAT_MP_SECRET");
}

BOOST_AUTO_TEST_CASE(unconfigured_apps_are_reported_not_fetched) {
  auto s = serve();
  auto r = s.call("GET", "/v1/tokens/mp");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(errorCode(r) == "app_not_configured");
}

BOOST_AUTO_TEST_SUITE_END()

// The MySQL store going away and coming back: 503 while it is down, answers again after.
BOOST_AUTO_TEST_SUITE(serve_store_outage)

BOOST_AUTO_TEST_CASE(store_outage_gives_503_and_serving_resumes_after_mariadb_restarts) {
  StoreSettings db = freshStoreSettings("mysql");
  openStore(db, wallClock())->migrate();
  setenv("WXBRIDGE_STORE_PASSWORD", db.password.c_str(), 1);
  WxbridgeServe s(
      {"store.url=" + storeUrl(db), "store.connect_timeout_ms=1000", "store.read_timeout_ms=2000"});
  BOOST_TEST(s.call("GET", "/v1/accounts/unAlice").status == 404);
  scripts("stop");
  auto down = s.call("GET", "/v1/accounts/unAlice");
  BOOST_TEST(down.status == 503);
  BOOST_TEST(errorCode(down) == "store_unavailable");
  BOOST_TEST(s.request("GET", "/readyz").status == 503);
  BOOST_TEST(s.request("GET", "/healthz").status == 200);
  scripts("start");
  BOOST_TEST(s.call("GET", "/v1/accounts/unAlice").status == 404);
  BOOST_TEST(s.request("GET", "/readyz").status == 200);
  unsetenv("WXBRIDGE_STORE_PASSWORD");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
