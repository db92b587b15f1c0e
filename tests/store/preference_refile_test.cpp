// PUT /v1/accounts/{unionid}/preferences re-files what the old preferences held (usertest4
// F3), through the route groups over the real store on both backends: a notice decision held
// by quiet hours falls due at once when they are cleared (the engine then sends what
// `wxbridge notice --dry-run` said it would, once, whichever of two engines decides and however
// often the preferences are put again), and a direct message held by quiet hours moves to the
// end of the new quiet hours, or to now when they no longer hold.
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bridge/cli/commands.h"
#include "bridge/routes/message_routes.h"
#include "bridge/routes/preference_routes.h"
#include "notify/notice_engine.h"
#include "support/route_call.h"
#include "support/store_fixture.h"
#include "support/test_config.h"
#include "support/utc_ms.h"

namespace wxb::test {

namespace {

Settings refileConfig(const StoreSettings& store) {
  auto s = settingsWith({{"timezone", "Asia/Shanghai"},
                         {"notify.quiet_hours", "22:00-08:00"},
                         {"notify.types.chat.realtime", "true"},
                         {"notify.realtime.single", "one"},
                         {"notify.realtime.many", "many"},
                         {"templates.one.template_id", "TPL_ONE"},
                         {"templates.one.data.thing1", "{{actor}}: {{text}}"},
                         {"templates.many.template_id", "TPL_MANY"},
                         {"templates.many.data.thing1", "{{total}} new"},
                         {"templates.note.template_id", "TPL_NOTE"},
                         {"templates.note.data.thing1", "{{params.body}}"}});
  BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
  Settings out = *s;
  out.store = store;
  return out;
}

struct RefileFixture : StoreFixture {
  ManualClock clock{utcMs(2026, 11, 30, 15, 0)};  // 23:00 in Shanghai: quiet
  Settings config = refileConfig(settings);
  Poco::AutoPtr<Poco::Util::MapConfiguration> raw = new Poco::Util::MapConfiguration;
  PreferenceDefaults defaults{"Asia/Shanghai", config.notify.realtime.quietHours};
  PreferenceRoutes preferences{store->notices(), defaults, {"chat"}, clock};
  MessageRoutes messages{store->accounts(),
                         store->notifications(),
                         store->notices(),
                         config.notify,
                         defaults,
                         clock,
                         [] {}};
  Router router;

  RefileFixture() {
    preferences.addTo(router);
    messages.addTo(router);
    store->accounts().upsertFollowers({{"oaLi", "u1", true}}, 1);
  }
  void put(const std::string& body) {
    auto r = callRoute(router, "PUT", "/v1/accounts/u1/preferences", body);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
  }
  int64_t post(const std::string& key) {
    auto r = callRoute(router, "POST", "/v1/messages",
                       R"({"idempotency_key":")" + key +
                           R"(","unionid":"u1","template":"note","params":{"body":"hi"}})");
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    return bodyOf(r)["message_id"].get<int64_t>();
  }
  std::optional<int64_t> dueOf(int64_t id) { return store->notifications().message(id)->dueAtMs; }
  nlohmann::json dryRun() {
    std::ostringstream out, errs;
    BOOST_TEST_REQUIRE(
        runNoticeCommand(CommandContext{config, *raw, clock, out, errs}, {"--dry-run", "u1"}) == 0,
        errs.str());
    return nlohmann::json::parse(out.str());
  }
  int64_t outboxRows() {
    int64_t n = 0;
    for (const auto& [state, count] : store->notifications().depthByState()) n += count;
    return n;
  }
  void decide() { NoticeEngine(store->notices(), config.notify, "Asia/Shanghai", clock).runDue(); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(preference_refile, RefileFixture)

BOOST_AUTO_TEST_CASE(clearing_quiet_hours_sends_the_held_notice_at_once_as_the_dry_run_says) {
  store->notices().addHeldEvent(NotifyEvent{"q1", "u1", "chat", "Li", "hello", clock.nowMs()});
  decide();
  BOOST_TEST(outboxRows() == 0);
  BOOST_TEST(*store->notices().nextDueMs() == utcMs(2026, 12, 1, 0, 0));  // 08:00 in Shanghai
  clock.advance(60'000);
  put(R"({"quiet_hours":""})");
  auto line = dryRun();
  BOOST_TEST(line["would_send"]["kind"] == "single", line.dump());
  // The decision is filed for now, so reality agrees with the dry run...
  BOOST_TEST(*store->notices().nextDueMs() <= clock.nowMs());
  decide();
  BOOST_TEST(outboxRows() == 1);
  BOOST_TEST(!store->notices().nextDueMs().has_value());
  // ... once: putting the preferences again, and a second engine (another instance), add none.
  put(R"({"quiet_hours":""})");
  decide();
  NoticeEngine(store->notices(), config.notify, "Asia/Shanghai", clock).runDue();
  BOOST_TEST(outboxRows() == 1);
}

BOOST_AUTO_TEST_CASE(a_decision_still_held_is_filed_again_under_the_new_quiet_hours) {
  store->notices().addHeldEvent(NotifyEvent{"q1", "u1", "chat", "Li", "hello", clock.nowMs()});
  decide();
  put(R"({"quiet_hours":"22:00-07:00"})");  // still quiet, but until 07:00
  decide();
  BOOST_TEST(outboxRows() == 0);
  BOOST_TEST(*store->notices().nextDueMs() == utcMs(2026, 11, 30, 23, 0));
  BOOST_TEST(dryRun()["next_decision_at"] == "2026-12-01T07:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(a_direct_message_held_by_quiet_hours_follows_them_when_they_change) {
  const int64_t held = post("plain");
  BOOST_TEST(*dueOf(held) == utcMs(2026, 12, 1, 0, 0));  // 08:00 in Shanghai
  put(R"({"quiet_hours":"22:00-07:00"})");
  BOOST_TEST(*dueOf(held) == utcMs(2026, 11, 30, 23, 0));    // 07:00
  put(R"({"timezone":"UTC","quiet_hours":"22:00-07:00"})");  // 15:00 in UTC: not quiet
  BOOST_TEST(*dueOf(held) == clock.nowMs());
  auto claimed = store->notifications().claim("t", 10, clock.nowMs(), 60'000);
  BOOST_TEST_REQUIRE(claimed.size() == 1u);
  BOOST_TEST(claimed[0].idempotencyKey == "api:plain");
}

BOOST_AUTO_TEST_CASE(only_messages_quiet_hours_hold_are_moved) {
  put(R"({"quiet_hours":""})");
  const int64_t now = post("now");  // due at once
  clock.advance(60'000);
  put(R"({"quiet_hours":"22:00-08:00"})");
  BOOST_TEST(*dueOf(now) == clock.nowMs() - 60'000);  // due already: not held back
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
