// ServeRoutes, the wiring of `serve`'s route groups: exactly the routes of the API, each with
// its access (every /v1 route behind the allowlist and an API key, /metrics behind the
// allowlist, the health checks and the platform's callback public), and the apps this instance has
// no appid for answered 404 app_not_configured by their groups.
#include "bridge/app/serve_routes.h"

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <set>
#include <tuple>

#include "support/route_call.h"
#include "support/test_config.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

using RouteRow = std::tuple<std::string, std::string, Access>;

struct ServeRoutesFixture {
  ManualClock clock{1'700'000'000'000};
  Settings settings = unconfigured();
  std::unique_ptr<Services> services = Services::open(settings, clock);
  ServeRoutes routes{*services};

  static Settings unconfigured() {
    auto s = settingsWith({{"store.url", storeUrl(freshStoreSettings("sqlite"))}});
    BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().describe()));
    return *s;
  }
};

std::set<RouteRow> rowsOf(const Router& router) {
  std::set<RouteRow> rows;
  for (const Route& r : router.routes()) rows.insert({r.method, r.pattern, r.access});
  return rows;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(serve_routes, ServeRoutesFixture)

BOOST_AUTO_TEST_CASE(every_route_of_the_api_is_added_once_with_its_access) {
  const std::set<RouteRow> expected = {
      {"GET", "/v1/accounts/{unionid}", Access::ApiKey},
      {"POST", "/v1/accounts:lookup", Access::ApiKey},
      {"PUT", "/v1/accounts/{unionid}/preferences", Access::ApiKey},
      {"GET", "/v1/accounts/{unionid}/preferences", Access::ApiKey},
      {"POST", "/v1/mp/sessions", Access::ApiKey},
      {"GET", "/v1/tokens/{app}", Access::ApiKey},
      {"POST", "/v1/tokens/{app}:refresh", Access::ApiKey},
      {"POST", "/v1/sync:run", Access::ApiKey},
      {"GET", "/v1/sync/runs/latest", Access::ApiKey},
      {"POST", "/v1/events", Access::ApiKey},
      {"POST", "/v1/events:read", Access::ApiKey},
      {"POST", "/v1/messages", Access::ApiKey},
      {"GET", "/v1/messages/{id}", Access::ApiKey},
      {"POST", "/v1/subscriptions", Access::ApiKey},
      {"GET", "/v1/subscriptions/{mp_openid}", Access::ApiKey},
      {"POST", "/v1/schedules", Access::ApiKey},
      {"GET", "/v1/schedules", Access::ApiKey},
      {"GET", "/v1/schedules/{id}", Access::ApiKey},
      {"PATCH", "/v1/schedules/{id}", Access::ApiKey},
      {"DELETE", "/v1/schedules/{id}", Access::ApiKey},
      {"GET", "/healthz", Access::Public},
      {"GET", "/readyz", Access::Public},
      {"GET", "/metrics", Access::Allowlist},
      {"GET", "/wechat/callback", Access::Public},
      {"POST", "/wechat/callback", Access::Public},
      {"GET", "/wechat/callback/mp", Access::Public},
      {"POST", "/wechat/callback/mp", Access::Public},
      {"POST", "/v1/bind-codes", Access::ApiKey}};
  BOOST_TEST(routes.router().routes().size() == expected.size());
  BOOST_TEST((rowsOf(routes.router()) == expected));
}

// Holds for the routes later issues add too: a /v1 route is never reachable without a key.
BOOST_AUTO_TEST_CASE(no_v1_route_is_open_without_an_api_key) {
  for (const Route& r : routes.router().routes()) {
    BOOST_TEST_CONTEXT(r.method << " " << r.pattern) {
      if (r.pattern.starts_with("/v1/")) BOOST_TEST((r.access == Access::ApiKey));
      if (r.access == Access::Public) {
        // The platform's pushes are public: their signature is the check.
        BOOST_TEST((r.pattern == "/healthz" || r.pattern == "/readyz" ||
                    r.pattern.starts_with("/wechat/callback")));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(apps_without_an_appid_answer_404_app_not_configured) {
  const Router& router = routes.router();
  auto mp = callRoute(router, "POST", "/v1/mp/sessions", R"({"code":"0a1b2c"})");
  auto sync = callRoute(router, "POST", "/v1/sync:run", "");
  auto oa = callRoute(router, "GET", "/v1/tokens/oa");
  auto refresh = callRoute(router, "POST", "/v1/tokens/mp:refresh", R"({"stale_token":"x"})");
  auto bind = callRoute(router, "POST", "/v1/bind-codes", R"({"mp_openid":"oMp1"})");
  auto push = callRoute(router, "POST", "/wechat/callback", "<xml/>");
  for (const ApiResponse* r : {&mp, &sync, &oa, &refresh, &bind, &push}) {
    BOOST_TEST(r->status == 404);
    BOOST_TEST(errorCodeOf(*r) == "app_not_configured");
  }
  BOOST_TEST(bodyOf(mp)["error"]["message"] == "wechat.mp.appid is not configured");
  BOOST_TEST(bodyOf(sync)["error"]["message"] == "wechat.oa.appid is not configured");
  BOOST_TEST(callRoute(router, "GET", "/v1/sync/runs/latest").status == 404);  // no run yet
  BOOST_TEST(callRoute(router, "GET", "/readyz").status == 200);
}

// The one rule for /v1 bodies (docs/api.md "Request bodies", parseJsonObject): a member the
// route does not take is refused by name, and so is a name given twice in one object, at any
// depth - on every route that reads a body. (usertest3 F8, usertest4 F1)
BOOST_AUTO_TEST_CASE(every_body_route_refuses_an_unknown_member_and_a_repeated_name) {
  const Router& router = routes.router();
  int checked = 0;
  for (const Route& r : router.routes()) {
    if (!r.pattern.starts_with("/v1/") || r.method == "GET" || r.method == "DELETE") continue;
    std::string target = r.pattern;
    for (auto [param, value] :
         {std::pair{"{unionid}", "oUnion1"}, {"{id}", "1"}, {"{app}", "oa"}}) {
      if (auto at = target.find(param); at != std::string::npos)
        target.replace(at, strlen(param), value);
    }
    BOOST_TEST_CONTEXT(r.method << " " << target) {
      auto unknown = callRoute(router, r.method, target, R"({"no_such_member":1})");
      auto repeated = callRoute(router, r.method, target, R"({"a":{"b":1,"b":2}})");
      if (errorCodeOf(unknown) == "app_not_configured") continue;  // answered before the body
      ++checked;
      BOOST_TEST(unknown.status == 400);
      BOOST_TEST(errorCodeOf(unknown) == "invalid_field");
      BOOST_TEST(bodyOf(unknown)["error"]["message"].get<std::string>().starts_with(
          "no_such_member: unknown member (this route takes "));
      BOOST_TEST(repeated.status == 400);
      BOOST_TEST(errorCodeOf(repeated) == "invalid_json");
      BOOST_TEST(bodyOf(repeated)["error"]["message"] ==
                 "body: member \"b\" appears more than once in one object");
    }
  }
  BOOST_TEST(checked == 10);  // 12 body routes; sync:run and tokens:refresh answer 404 first here
}

BOOST_AUTO_TEST_CASE(a_repeated_member_is_not_read_as_its_last_value) {
  auto r = callRoute(routes.router(), "POST", "/v1/events",
                     R"({"event_id":"e1","unionid":"oA","unionid":"oB","type":"chat"})");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(bodyOf(r)["error"]["message"] ==
             "body: member \"unionid\" appears more than once in one object");
  auto null = callRoute(routes.router(), "POST", "/v1/messages",
                        R"({"idempotency_key":"k","unionid":"oA","template":"x","channel":null})");
  BOOST_TEST(bodyOf(null)["error"]["message"].get<std::string>().starts_with("template:"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
