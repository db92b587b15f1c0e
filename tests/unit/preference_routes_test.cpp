// The preference routes through their route group over an in-memory SQLite store: a PUT
// replaces the stored preferences and answers what is in force, a GET of a user who set
// nothing shows the configured defaults, and every malformed field is a 400 naming it.
#include "bridge/routes/preference_routes.h"

#include <boost/test/unit_test.hpp>

#include "support/route_call.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

const char* kPath = "/v1/accounts/unAlice/preferences";

struct PreferenceRoutesFixture {
  ManualClock clock{1'700'000'000'000};
  std::unique_ptr<Store> store = memoryStore(clock);
  PreferenceRoutes routes{store->notices(),
                          PreferenceDefaults{"Asia/Shanghai", QuietHours{22 * 60, 8 * 60}},
                          {"chat", "invitation"},
                          clock};
  Router router;

  PreferenceRoutesFixture() { routes.addTo(router); }

  ApiResponse put(const nlohmann::json& body, const std::string& path = kPath) {
    return callRoute(router, "PUT", path, body.dump());
  }
  std::string fieldOf(const ApiResponse& r) {
    if (r.status != 400) return "status " + std::to_string(r.status);
    std::string message = bodyOf(r)["error"]["message"];
    return message.substr(0, message.find(':'));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(preference_routes, PreferenceRoutesFixture)

BOOST_AUTO_TEST_CASE(a_user_who_set_nothing_follows_the_configuration) {
  auto r = callRoute(router, "GET", kPath, "");
  BOOST_TEST(r.status == 200);
  auto body = bodyOf(r);
  BOOST_TEST(body["timezone"].is_null());
  BOOST_TEST(body["effective"]["timezone"] == "Asia/Shanghai");
  BOOST_TEST(body["effective"]["quiet_hours"] == "22:00-08:00");
  BOOST_TEST(body["effective"]["digest"] == true);
}

BOOST_AUTO_TEST_CASE(a_put_replaces_the_preferences_whole_and_is_stored) {
  auto r = put({{"timezone", "Europe/Berlin"},
                {"quiet_hours", ""},
                {"muted_types", {"invitation"}},
                {"digest", false}});
  BOOST_TEST(r.status == 200);
  BOOST_TEST(bodyOf(r)["effective"]["quiet_hours"] == "");
  auto stored = store->notices().preferences("unAlice");
  BOOST_REQUIRE(stored);
  BOOST_TEST((stored->mutedTypes == std::optional<std::vector<std::string>>({"invitation"})));
  BOOST_TEST((stored->digest == std::optional<bool>(false)));
  BOOST_TEST(put({{"timezone", "Asia/Tokyo"}}).status == 200);
  auto got = bodyOf(callRoute(router, "GET", kPath, ""));
  BOOST_TEST(got["timezone"] == "Asia/Tokyo");
  BOOST_TEST(got["quiet_hours"].is_null());  // replaced: back to the configuration
  BOOST_TEST(got["effective"]["quiet_hours"] == "22:00-08:00");
  BOOST_TEST(got["effective"]["muted_types"] == nlohmann::json::array());
}

BOOST_AUTO_TEST_CASE(every_bad_field_is_a_400_naming_it) {
  BOOST_TEST(fieldOf(put({{"timezone", "Mars/Olympus"}})) == "timezone");
  BOOST_TEST(fieldOf(put({{"timezone", 8}})) == "timezone");
  BOOST_TEST(fieldOf(put({{"quiet_hours", "22-08"}})) == "quiet_hours");
  BOOST_TEST(fieldOf(put({{"quiet_hours", "22:00-22:00"}})) == "quiet_hours");
  BOOST_TEST(fieldOf(put({{"muted_types", "chat"}})) == "muted_types");
  BOOST_TEST(fieldOf(put({{"muted_types", {"chat", "poke"}}})) == "muted_types[1]");
  BOOST_TEST(fieldOf(put({{"muted_types", {"chat", 3}}})) == "muted_types[1]");
  BOOST_TEST(fieldOf(put({{"digest", "no"}})) == "digest");
  BOOST_TEST(fieldOf(put({{"quiet", "22:00-08:00"}})) == "quiet");
  BOOST_TEST(fieldOf(put({{"digest", true}}, "/v1/accounts/un%20Alice/preferences")) == "unionid");
  BOOST_TEST(!store->notices().preferences("unAlice").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
