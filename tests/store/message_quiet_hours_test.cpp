// POST /v1/messages and quiet hours, through the route group over the real store on both
// backends: a direct message to a user in quiet hours is stored due at their end (the sender
// does not claim it before), one with "urgent": true is due at once and claimed at once, and
// outside quiet hours - or for a user whose own preference has none - both go at once.
#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "bridge/routes/message_routes.h"
#include "support/route_call.h"
#include "support/store_fixture.h"
#include "support/utc_ms.h"

namespace wxb::test {

namespace {

NotifySettings noteSettings() {
  NotifySettings s;
  TemplateSpec note{"note", "TPL_NOTE", std::nullopt, {}};
  note.data.emplace_back("thing1", parsePattern("{{params.body}}").value());
  s.templates["note"] = note;
  return s;
}

struct QuietMessageFixture : StoreFixture {
  ManualClock clock{utcMs(2026, 11, 30, 15, 0)};  // 23:00 in Shanghai: quiet
  NotifySettings notify = noteSettings();
  MessageRoutes routes{store->accounts(),
                       store->notifications(),
                       store->notices(),
                       notify,
                       PreferenceDefaults{"Asia/Shanghai", QuietHours{22 * 60, 8 * 60}},
                       clock,
                       [] {}};
  Router router;

  QuietMessageFixture() {
    routes.addTo(router);
    store->accounts().upsertFollowers({{"oaLi", "u1", true}, {"oaNi", "u2", true}}, 1);
  }
  // Posts a message; returns the outbox row it made.
  OutboxMessage post(const std::string& key, const std::string& unionid, const char* urgent) {
    std::string body = R"({"idempotency_key":")" + key + R"(","unionid":")" + unionid +
                       R"(","template":"note","params":{"body":"hi"})";
    if (urgent) body += std::string(R"(,"urgent":)") + urgent;
    auto r = callRoute(router, "POST", "/v1/messages", body + "}");
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    auto row = store->notifications().message(bodyOf(r)["message_id"].get<int64_t>());
    BOOST_TEST_REQUIRE(row.has_value());
    return *row;
  }
  std::vector<std::string> claimedKeys(int64_t atMs) {
    std::vector<std::string> keys;
    for (const auto& m : store->notifications().claim("t", 10, atMs, 60'000)) {
      keys.push_back(m.idempotencyKey);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(message_quiet_hours, QuietMessageFixture)

BOOST_AUTO_TEST_CASE(an_urgent_message_passes_quiet_hours_and_a_plain_one_waits_for_their_end) {
  const int64_t now = clock.nowMs();
  const int64_t end = utcMs(2026, 12, 1, 0, 0);  // 08:00 in Shanghai
  BOOST_TEST((post("plain", "u1", nullptr).dueAtMs == std::optional<int64_t>(end)));
  BOOST_TEST((post("calm", "u1", "false").dueAtMs == std::optional<int64_t>(end)));
  BOOST_TEST((post("urgent", "u1", "true").dueAtMs == std::optional<int64_t>(now)));
  BOOST_TEST((claimedKeys(end - 1) == std::vector<std::string>{"api:urgent"}));
  BOOST_TEST((claimedKeys(end) == std::vector<std::string>{"api:calm", "api:plain"}));
}

BOOST_AUTO_TEST_CASE(outside_quiet_hours_or_with_none_of_their_own_a_message_goes_at_once) {
  store->notices().setPreferences("u2", Preferences{std::nullopt, "", std::nullopt, std::nullopt},
                                  1);
  BOOST_TEST((post("none", "u2", nullptr).dueAtMs == std::optional<int64_t>(clock.nowMs())));
  clock.set(utcMs(2026, 11, 30, 4, 0));  // 12:00 in Shanghai
  BOOST_TEST((post("noon", "u1", nullptr).dueAtMs == std::optional<int64_t>(clock.nowMs())));
}

BOOST_AUTO_TEST_CASE(urgent_must_be_a_boolean) {
  auto r = callRoute(router, "POST", "/v1/messages",
                     R"({"idempotency_key":"k","unionid":"u1","template":"note",)"
                     R"("params":{"body":"hi"},"urgent":"yes"})");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(bodyOf(r)["error"]["message"].get<std::string>().starts_with("urgent"), r.body);
  BOOST_TEST(claimedKeys(utcMs(2026, 12, 2, 0, 0)).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
