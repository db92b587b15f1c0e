// The /v1/subscriptions handlers, called through their route group over an in-memory SQLite
// store: a report's accepts add grants (only when the client is the counted source), answers
// are recorded with their time, GET shows the ledger, and every malformed input is a 400 naming
// its field.
#include "bridge/routes/subscription_routes.h"

#include <boost/test/unit_test.hpp>

#include "support/route_call.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

struct SubscriptionRoutesFixture {
  ManualClock clock{1'795'244'400'000};  // 2026-11-21T07:00:00Z
  std::unique_ptr<Store> store = memoryStore(clock);
  SubscriptionRoutes routes{store->subscriptions(), GrantSource::Client, clock};
  Router router;

  SubscriptionRoutesFixture() { routes.addTo(router); }

  ApiResponse report(const nlohmann::json& body) {
    return callRoute(router, "POST", "/v1/subscriptions", body.dump());
  }
  std::string fieldOf(const ApiResponse& r) {
    if (r.status != 400) return "";
    std::string message = bodyOf(r)["error"]["message"];
    return message.substr(0, message.find(':'));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(subscription_routes, SubscriptionRoutesFixture)

BOOST_AUTO_TEST_CASE(accepts_add_grants_and_get_shows_the_ledger) {
  nlohmann::json body = {
      {"mp_openid", "oMP1"},
      {"results",
       {{"TPL_A", "accept"}, {"TPL_B", "reject"}, {"errMsg", "requestSubscribeMessage:ok"}}}};
  auto first = report(body);
  BOOST_TEST_REQUIRE(first.status == 200, first.body);
  report({{"mp_openid", "oMP1"}, {"results", {{"TPL_A", "acceptWithAudio"}}}});
  auto shown = callRoute(router, "GET", "/v1/subscriptions/oMP1");
  BOOST_TEST(shown.status == 200);
  auto ledger = bodyOf(shown);
  BOOST_TEST(ledger["mp_openid"] == "oMP1");
  BOOST_REQUIRE(ledger["templates"].size() == 2u);
  BOOST_TEST(ledger["templates"][0]["template_id"] == "TPL_A");
  BOOST_TEST(ledger["templates"][0]["grants"] == 2);
  BOOST_TEST(ledger["templates"][0]["last_result"] == "accept");
  BOOST_TEST(ledger["templates"][0]["last_result_at"] == "2026-11-21T07:00:00.000Z");
  BOOST_TEST(ledger["templates"][1]["grants"] == 0);
  BOOST_TEST(ledger["templates"][1]["last_result"] == "reject");
  auto nobody = callRoute(router, "GET", "/v1/subscriptions/oNobody");
  BOOST_TEST(bodyOf(nobody)["templates"].empty());
}

BOOST_AUTO_TEST_CASE(a_ban_empties_the_entry) {
  report({{"mp_openid", "oMP1"}, {"results", {{"TPL_A", "accept"}}}});
  clock.advance(1'000);
  auto banned = report({{"mp_openid", "oMP1"}, {"results", {{"TPL_A", "ban"}}}});
  BOOST_TEST(bodyOf(banned)["templates"][0]["grants"] == 0);
  BOOST_TEST(bodyOf(banned)["templates"][0]["last_result"] == "ban");
}

BOOST_AUTO_TEST_CASE(with_events_counted_a_report_records_answers_only) {
  SubscriptionRoutes events{store->subscriptions(), GrantSource::Events, clock};
  Router other;
  events.addTo(other);
  auto r = callRoute(other, "POST", "/v1/subscriptions",
                     R"({"mp_openid":"oMP1","results":{"TPL_A":"accept"}})");
  BOOST_TEST(bodyOf(r)["templates"][0]["grants"] == 0);
  BOOST_TEST(bodyOf(r)["templates"][0]["last_result"] == "accept");
}

// A backend that retries a report after a timeout sends the same report_id: the retry counts
// nothing and is answered exactly as the first time, even after the ledger moved on.
BOOST_AUTO_TEST_CASE(a_retried_report_with_its_report_id_counts_once_and_answers_the_same) {
  const nlohmann::json body = {{"mp_openid", "oMP1"},
                               {"report_id", "popup 2026-11-21 #7"},
                               {"results", {{"TPL_A", "accept"}, {"TPL_B", "accept"}}}};
  auto first = report(body);
  BOOST_TEST_REQUIRE(first.status == 200, first.body);
  BOOST_TEST(bodyOf(first)["templates"][0]["grants"] == 1);
  clock.advance(5'000);
  report({{"mp_openid", "oMP1"}, {"results", {{"TPL_A", "accept"}}}});  // no id: counts
  auto retry = report(body);
  BOOST_TEST(retry.status == 200);
  BOOST_TEST(retry.body == first.body);
  BOOST_TEST(store->subscriptions().grants("mp", "oMP1", "TPL_A") == 2);
  BOOST_TEST(store->subscriptions().grants("mp", "oMP1", "TPL_B") == 1);
  // The id is the user's: another user's report with it counts.
  auto other = report({{"mp_openid", "oMP2"},
                       {"report_id", "popup 2026-11-21 #7"},
                       {"results", {{"TPL_A", "accept"}}}});
  BOOST_TEST(bodyOf(other)["templates"][0]["grants"] == 1);
}

BOOST_AUTO_TEST_CASE(a_malformed_report_id_is_a_400_naming_it) {
  for (const nlohmann::json& bad :
       {nlohmann::json(""), nlohmann::json(std::string(129, 'r')), nlohmann::json("tab\there"),
        nlohmann::json(7), nlohmann::json(nullptr)}) {
    BOOST_TEST_CONTEXT(bad.dump()) {
      auto r = report({{"mp_openid", "oMP1"}, {"report_id", bad}, {"results", {{"T", "accept"}}}});
      BOOST_TEST(fieldOf(r) == "report_id");
    }
  }
  auto r = report({{"mp_openid", "oMP1"}, {"report_id", ""}, {"results", {{"T", "accept"}}}});
  BOOST_TEST(std::string(bodyOf(r)["error"]["message"]).find("printable ASCII") !=
             std::string::npos);
  BOOST_TEST(store->subscriptions().ofUser("mp", "oMP1").empty());
}

BOOST_AUTO_TEST_CASE(malformed_reports_name_the_field) {
  BOOST_TEST(fieldOf(report({{"results", {{"T", "accept"}}}})) == "mp_openid");
  BOOST_TEST(fieldOf(report({{"mp_openid", "o p"}, {"results", {{"T", "accept"}}}})) ==
             "mp_openid");
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}})) == "results");
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", {1, 2}}})) == "results");
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", nlohmann::json::object()}})) ==
             "results");
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", {{"T", "maybe"}}}})) ==
             "results.T");
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", {{"T", 1}}}})) == "results.T");
  // A malformed id is not echoed into the answer.
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", {{"<script>", 1}}}})) == "results");
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", {{"T<x>", "accept"}}}})) ==
             "results");
  nlohmann::json many = nlohmann::json::object();
  for (int i = 0; i < 60; ++i) many["T" + std::to_string(i)] = "accept";
  BOOST_TEST(fieldOf(report({{"mp_openid", "oMP1"}, {"results", many}})) == "results");
  BOOST_TEST(callRoute(router, "POST", "/v1/subscriptions", "not json").status == 400);
  BOOST_TEST(fieldOf(callRoute(router, "GET", "/v1/subscriptions/o%20p")) == "mp_openid");
  BOOST_TEST(store->subscriptions().ofUser("mp", "oMP1").empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
