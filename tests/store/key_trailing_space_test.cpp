// Keys the caller makes unique (idempotency_key, event_id, report_id) that differ only by
// trailing spaces, through the routes over the real store on both backends (usertest5 F1).
// MySQL and MariaDB compare these columns with PAD SPACE collations, where "k " equals "k": a
// second message "order 42 " was answered 200 as a repeat of "order 42" and never sent on
// MariaDB, while SQLite made a new message. Such a key is now 400 naming the field on both, and
// the first key's message, event and report stay the only ones.
#include <boost/test/unit_test.hpp>

#include "bridge/routes/event_routes.h"
#include "bridge/routes/message_routes.h"
#include "bridge/routes/subscription_routes.h"
#include "support/route_call.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

struct TrailingSpaceFixture : StoreFixture {
  ManualClock clock{1'800'000'000'000};
  NotifySettings notify;
  RealtimeSettings realtime;
  MessageRoutes messages{store->accounts(),
                         store->notifications(),
                         store->notices(),
                         notify,
                         PreferenceDefaults{"Asia/Shanghai", std::nullopt},
                         clock,
                         [] {}};
  EventRoutes events{store->notifications(), store->notices(), realtime, clock, [] {}, {}};
  SubscriptionRoutes subscriptions{store->subscriptions(), GrantSource::Client, clock};
  Router router;

  TrailingSpaceFixture() {
    TemplateSpec note{"note", "TPL_NOTE", std::nullopt, {}};
    note.data.emplace_back("keyword1", parsePattern("{{params.body}}").value());
    notify.templates["note"] = note;
    messages.addTo(router);
    events.addTo(router);
    subscriptions.addTo(router);
    store->accounts().upsertFollowers({{"oaLi", "u1", true}}, 1);
  }
  ApiResponse message(const std::string& key) {
    return callRoute(router, "POST", "/v1/messages",
                     R"({"idempotency_key":")" + key +
                         R"(","unionid":"u1","template":"note","params":{"body":"hi"}})");
  }
  ApiResponse event(const std::string& id) {
    return callRoute(router, "POST", "/v1/events",
                     R"({"event_id":")" + id + R"(","unionid":"u1","type":"chat"})");
  }
  ApiResponse report(const std::string& id) {
    return callRoute(
        router, "POST", "/v1/subscriptions",
        R"({"mp_openid":"oMP1","report_id":")" + id + R"(","results":{"TPL_A":"accept"}})");
  }
  static std::string refusedField(const ApiResponse& r) {
    if (r.status != 400) return "status " + std::to_string(r.status) + ": " + r.body;
    auto message = bodyOf(r)["error"]["message"].get<std::string>();
    return message.substr(0, message.find(':'));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(key_trailing_space, TrailingSpaceFixture)

BOOST_AUTO_TEST_CASE(a_key_that_differs_only_by_a_trailing_space_is_refused_on_every_backend) {
  auto first = message("order 42");
  BOOST_TEST_REQUIRE(first.status == 202, first.body);
  BOOST_TEST(refusedField(message("order 42 ")) == "idempotency_key");
  BOOST_TEST(refusedField(message("order 42  ")) == "idempotency_key");
  BOOST_TEST(message(" order 42").status == 202);  // only a trailing space is ambiguous

  BOOST_TEST_REQUIRE(event("ev 7").status == 202);
  BOOST_TEST(refusedField(event("ev 7 ")) == "event_id");
  auto unread = store->notifications().unreadSummary("u1");
  BOOST_TEST_REQUIRE(unread.has_value());
  BOOST_TEST_REQUIRE(unread->counts.size() == 1u);
  BOOST_TEST(unread->counts[0].count == 1);

  BOOST_TEST_REQUIRE(report("popup 1").status == 200);
  BOOST_TEST(refusedField(report("popup 1 ")) == "report_id");
  BOOST_TEST(store->subscriptions().grants(kMpBook, "oMP1", "TPL_A") == 1);
}

BOOST_AUTO_TEST_CASE(the_refusal_says_why_a_trailing_space_is_not_taken) {
  auto r = message("k ");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.body.find("must not end in a space") != std::string::npos, r.body);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
