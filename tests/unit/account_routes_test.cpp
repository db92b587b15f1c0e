// The /v1/accounts handlers, called through their route group over an in-memory SQLite store:
// one account by unionid, a list with found and missing, and every malformed input a 400
// naming its field.
#include "bridge/routes/account_routes.h"

#include <boost/test/unit_test.hpp>

#include "support/route_call.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

constexpr int64_t kSyncedAtMs = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

struct AccountRoutesFixture {
  ManualClock clock{kSyncedAtMs};
  std::unique_ptr<Store> store = memoryStore(clock);
  AccountLookup lookup{store->accounts(), 1, 64};
  AccountRoutes routes{lookup};
  Router router;

  AccountRoutesFixture() {
    store->accounts().upsertFollowers(
        {{"oaAlice", "unAlice", true}, {"oaBob", "unBob", false}, {"oaNoUnion", "", true}},
        kSyncedAtMs);
    store->accounts().recordMpUser("mpAlice", "unAlice");
    routes.addTo(router);
  }

  ApiResponse lookupBody(const std::string& body) {
    return callRoute(router, "POST", "/v1/accounts:lookup", body);
  }
};

std::vector<std::string> unionidsOf(const nlohmann::json& accounts) {
  std::vector<std::string> out;
  for (const auto& a : accounts) out.push_back(a["unionid"]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(account_routes, AccountRoutesFixture)

BOOST_AUTO_TEST_CASE(an_account_is_found_by_its_unionid) {
  auto r = callRoute(router, "GET", "/v1/accounts/unAlice");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(bodyOf(r) == nlohmann::json({{"unionid", "unAlice"},
                                          {"oa_openid", "oaAlice"},
                                          {"subscribed", true},
                                          {"mp_openid", "mpAlice"},
                                          {"synced_at", "2023-11-14T22:13:20.000Z"}}));
  BOOST_TEST(bodyOf(callRoute(router, "GET", "/v1/accounts/unBob"))["subscribed"] == false);
}

BOOST_AUTO_TEST_CASE(an_unknown_unionid_is_404_and_a_malformed_one_400) {
  auto unknown = callRoute(router, "GET", "/v1/accounts/unNobody");
  BOOST_TEST(unknown.status == 404);
  BOOST_TEST(errorCodeOf(unknown) == "not_found");
  auto bad = callRoute(router, "GET", "/v1/accounts/un!Alice");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(errorCodeOf(bad) == "invalid_field");
  BOOST_TEST(bodyOf(bad)["error"]["message"].get<std::string>().starts_with("unionid:"));
}

BOOST_AUTO_TEST_CASE(a_lookup_names_what_it_found_and_what_is_missing_each_once) {
  auto r = lookupBody(R"({"unionids":["unBob","unNobody","unAlice","unBob","unGhost"]})");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(unionidsOf(bodyOf(r)["found"]) == (std::vector<std::string>{"unAlice", "unBob"}));
  BOOST_TEST(bodyOf(r)["missing"] == nlohmann::json({"unNobody", "unGhost"}));
  auto none = lookupBody(R"({"unionids":[]})");
  BOOST_TEST(bodyOf(none) == nlohmann::json({{"found", nlohmann::json::array()},
                                             {"missing", nlohmann::json::array()}}));
}

BOOST_AUTO_TEST_CASE(malformed_lookups_are_400_naming_the_field) {
  auto message = [](const ApiResponse& r) {
    return bodyOf(r)["error"]["message"].get<std::string>();
  };
  BOOST_TEST(errorCodeOf(lookupBody("not json")) == "invalid_json");
  BOOST_TEST(errorCodeOf(lookupBody("[]")) == "invalid_json");
  BOOST_TEST(message(lookupBody("{}")).starts_with("unionids:"));
  BOOST_TEST(message(lookupBody(R"({"unionids":"unAlice"})")).starts_with("unionids:"));
  BOOST_TEST(message(lookupBody(R"({"unionids":["unAlice",7]})")).starts_with("unionids[1]:"));
  BOOST_TEST(message(lookupBody(R"({"unionids":["a b"]})")).starts_with("unionids[0]:"));
  nlohmann::json tooMany = {{"unionids", std::vector<std::string>(1001, "unAlice")}};
  auto r = lookupBody(tooMany.dump());
  BOOST_TEST(r.status == 400);
  BOOST_TEST(message(r).starts_with("unionids:"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
