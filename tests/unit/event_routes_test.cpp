// The /v1/events handlers, called through their route group over an in-memory SQLite store: an
// event is stored once per event_id, read marks clear events by type or all, and every
// malformed input is a 400 naming its field.
#include "bridge/routes/event_routes.h"

#include <boost/test/unit_test.hpp>

#include "support/route_call.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

// chat is real-time; invitation is not.
RealtimeSettings realtimeChat() {
  RealtimeSettings r;
  r.singleTemplate = "one";
  r.manyTemplate = "many";
  r.types = {"chat"};
  return r;
}

struct EventRoutesFixture {
  ManualClock clock{1'700'000'000'000};
  std::unique_ptr<Store> store = memoryStore(clock);
  RealtimeSettings realtime = realtimeChat();
  int woken = 0;
  EventRoutes routes{store->notifications(), store->notices(),      realtime, clock,
                     [this] { ++woken; },    {"chat", "invitation"}};
  Router router;

  EventRoutesFixture() { routes.addTo(router); }

  ApiResponse post(const std::string& path, const nlohmann::json& body) {
    return callRoute(router, "POST", path, body.dump());
  }
  // The field a 400 names ("" for another answer).
  std::string fieldOf(const ApiResponse& r) {
    if (r.status != 400) return "";
    std::string message = bodyOf(r)["error"]["message"];
    return message.substr(0, message.find(':'));
  }
  int64_t unread(const std::string& unionid) {
    auto summary = store->notifications().unreadSummary(unionid);
    int64_t total = 0;
    if (summary) {
      for (const auto& c : summary->counts) total += c.count;
    }
    return total;
  }
};

nlohmann::json event(const std::string& id, const std::string& type = "chat") {
  return {{"event_id", id},
          {"unionid", "unAlice"},
          {"type", type},
          {"actor", "Ann"},
          {"text", "hello"}};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(event_routes, EventRoutesFixture)

BOOST_AUTO_TEST_CASE(a_real_time_event_is_held_and_wakes_the_engine_a_digest_only_one_not) {
  BOOST_TEST(post("/v1/events", event("e1", "invitation")).status == 202);
  BOOST_TEST(woken == 0);
  BOOST_TEST(store->notices().user("unAlice").held.empty());
  BOOST_TEST(post("/v1/events", event("e2", "chat")).status == 202);
  BOOST_TEST(woken == 1);
  BOOST_TEST(post("/v1/events", event("e2", "chat")).status == 200);  // known: no wake
  BOOST_TEST(woken == 1);
  auto user = store->notices().user("unAlice");
  BOOST_TEST(user.held.size() == 1u);
  BOOST_TEST((user.dueAtMs == std::optional<int64_t>(clock.nowMs())));
  BOOST_TEST(unread("unAlice") == 2);  // both count for the digest
}

BOOST_AUTO_TEST_CASE(an_event_is_stored_once_per_event_id) {
  auto first = post("/v1/events", event("e1"));
  BOOST_TEST(first.status == 202);
  BOOST_TEST(bodyOf(first) == nlohmann::json({{"event_id", "e1"}, {"duplicate", false}}));
  auto again = post("/v1/events", event("e1"));
  BOOST_TEST(again.status == 200);
  BOOST_TEST(bodyOf(again)["duplicate"] == true);
  BOOST_TEST(post("/v1/events", event("e2", "invitation")).status == 202);
  BOOST_TEST(unread("unAlice") == 2);
  auto summary = store->notifications().unreadSummary("unAlice");
  BOOST_REQUIRE(summary);
  BOOST_TEST(summary->latestActor == "Ann");
}

BOOST_AUTO_TEST_CASE(marking_read_clears_the_named_types_or_all) {
  for (const auto& e : {event("e1"), event("e2"), event("e3", "invitation")}) {
    BOOST_REQUIRE(post("/v1/events", e).status == 202);
  }
  auto chats = post("/v1/events:read", {{"unionid", "unAlice"}, {"types", {"chat"}}});
  BOOST_TEST(chats.status == 200);
  BOOST_TEST(bodyOf(chats) == nlohmann::json({{"unionid", "unAlice"}, {"marked_read", 2}}));
  BOOST_TEST(unread("unAlice") == 1);
  auto rest = post("/v1/events:read", {{"unionid", "unAlice"}});
  BOOST_TEST(bodyOf(rest)["marked_read"] == 1);
  BOOST_TEST(unread("unAlice") == 0);
}

BOOST_AUTO_TEST_CASE(malformed_events_are_400_naming_the_field) {
  BOOST_TEST(errorCodeOf(callRoute(router, "POST", "/v1/events", "{")) == "invalid_json");
  nlohmann::json noUnionid = event("e1");
  noUnionid.erase("unionid");
  BOOST_TEST(fieldOf(post("/v1/events", noUnionid)) == "unionid");
  nlohmann::json badUnionid = event("e1");
  badUnionid["unionid"] = "un Alice";
  BOOST_TEST(fieldOf(post("/v1/events", badUnionid)) == "unionid");
  BOOST_TEST(fieldOf(post("/v1/events", event("e1", "Chat!"))) == "type");
  nlohmann::json numericText = event("e1");
  numericText["text"] = 5;
  BOOST_TEST(fieldOf(post("/v1/events", numericText)) == "text");
  BOOST_TEST(fieldOf(post("/v1/events", event(""))) == "event_id");
  BOOST_TEST(unread("unAlice") == 0);
}

// Usertest4 F12: the same rule as muted_types, so a typo'd type is seen at once rather than
// shown in the digest by its raw name and impossible to mute.
BOOST_AUTO_TEST_CASE(a_type_notify_types_does_not_know_is_400_as_in_muted_types) {
  auto r = post("/v1/events", event("t1", "typo_chat"));
  BOOST_TEST(r.status == 400);
  BOOST_TEST(bodyOf(r)["error"]["message"] == "type: unknown event type (known: chat, invitation)",
             r.body);
  BOOST_TEST(unread("unAlice") == 0);
  // With no notify.types configured, any well-formed type is taken (shown by its name).
  EventRoutes open{store->notifications(), store->notices(), realtime, clock, [] {}, {}};
  Router any;
  open.addTo(any);
  BOOST_TEST(callRoute(any, "POST", "/v1/events", event("t2", "typo_chat").dump()).status == 202);
  BOOST_TEST(unread("unAlice") == 1);
}

BOOST_AUTO_TEST_CASE(malformed_read_marks_are_400_naming_the_field) {
  BOOST_TEST(fieldOf(post("/v1/events:read", nlohmann::json::object())) == "unionid");
  BOOST_TEST(fieldOf(post("/v1/events:read", {{"unionid", "unAlice"}, {"types", "chat"}})) ==
             "types");
  BOOST_TEST(fieldOf(post("/v1/events:read", {{"unionid", "unAlice"}, {"types", {"chat", 1}}})) ==
             "types[1]");
  nlohmann::json many = {{"unionid", "unAlice"}, {"types", std::vector<std::string>(101, "t")}};
  BOOST_TEST(fieldOf(post("/v1/events:read", many)) == "types");
}

// Usertest5 F5: the third door that names a type follows the same rule as POST /v1/events and
// muted_types - a typo ("chats") used to answer 200 marking nothing, so the digest kept
// counting the chats the user had read.
BOOST_AUTO_TEST_CASE(marking_read_a_type_notify_types_does_not_know_is_400_naming_it) {
  BOOST_REQUIRE(post("/v1/events", event("e1")).status == 202);
  auto r = post("/v1/events:read", {{"unionid", "unAlice"}, {"types", {"chat", "chats"}}});
  BOOST_TEST(r.status == 400);
  BOOST_TEST(
      bodyOf(r)["error"]["message"] == "types[1]: unknown event type (known: chat, invitation)",
      r.body);
  BOOST_TEST(fieldOf(post("/v1/events:read", {{"unionid", "unAlice"}, {"types", {"Chat!"}}})) ==
             "types[0]");
  BOOST_TEST(unread("unAlice") == 1);  // nothing marked
  // With no notify.types configured, any well-formed type is taken, as by POST /v1/events.
  EventRoutes open{store->notifications(), store->notices(), realtime, clock, [] {}, {}};
  Router any;
  open.addTo(any);
  auto marked = callRoute(any, "POST", "/v1/events:read",
                          nlohmann::json{{"unionid", "unAlice"}, {"types", {"chats"}}}.dump());
  BOOST_TEST(marked.status == 200);
  BOOST_TEST(bodyOf(marked)["marked_read"] == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
