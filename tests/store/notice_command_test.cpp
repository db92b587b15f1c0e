// `wxbridge notice --dry-run UNIONID` run in-process over the real store, on both backends and a
// manual clock: along the timeline of docs/notify.md it prints what would be sent now (the
// message as the platform would receive it) and why, or what holds the events and until when -
// and it writes nothing: the outbox stays empty and the same run prints the same line again.
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bridge/cli/commands.h"
#include "notify/notice_engine.h"
#include "support/store_fixture.h"
#include "support/test_config.h"
#include "support/utc_ms.h"

namespace wxb::test {

namespace {

constexpr int64_t kMinute = 60'000;

struct NoticeCommandFixture : StoreFixture {
  ManualClock clock{utcMs(2026, 11, 30, 10, 0)};
  int64_t start = clock.nowMs();
  Settings config = realtimeConfig();
  Poco::AutoPtr<Poco::Util::MapConfiguration> raw = new Poco::Util::MapConfiguration;
  std::string err;

  NoticeCommandFixture() { store->accounts().upsertFollowers({{"oaLi", "u1", true}}, 1); }

  Settings realtimeConfig() const {
    auto s = settingsWith({{"timezone", "UTC"},
                           {"notify.types.chat.realtime", "true"},
                           {"notify.realtime.single", "one"},
                           {"notify.realtime.many", "many"},
                           {"templates.one.template_id", "TPL_ONE"},
                           {"templates.one.data.thing1", "{{actor}}: {{text}}"},
                           {"templates.many.template_id", "TPL_MANY"},
                           {"templates.many.data.thing1", "{{total}} new, {{unread}} unread"}});
    BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
    Settings out = *s;
    out.store = settings;
    return out;
  }
  void event(const std::string& id, int64_t atMs) {
    clock.set(atMs);
    store->notices().addHeldEvent(NotifyEvent{id, "u1", "chat", "Li", id, atMs});
  }
  // Runs the command; returns its exit code and leaves its output line in `line`.
  int run(const CommandArgs& args, nlohmann::json& line) {
    std::ostringstream out, errs;
    int rc = runNoticeCommand(CommandContext{config, *raw, clock, out, errs}, args);
    err = errs.str();
    line = out.str().empty() ? nlohmann::json() : nlohmann::json::parse(out.str());
    return rc;
  }
  nlohmann::json dryRun() {
    nlohmann::json line;
    BOOST_TEST_REQUIRE(run({"--dry-run", "u1"}, line) == 0, err);
    return line;
  }
  int64_t outboxRows() {
    int64_t n = 0;
    for (const auto& [state, count] : store->notifications().depthByState()) n += count;
    return n;
  }
  void sendDue() { NoticeEngine(store->notices(), config.notify, "UTC", clock).runDue(); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(notice_dry_run, NoticeCommandFixture)

BOOST_AUTO_TEST_CASE(a_first_event_would_go_out_at_once_as_a_single_and_nothing_is_written) {
  auto idle = dryRun();
  BOOST_TEST(idle["would_send"].is_null());
  BOOST_TEST(idle["why"] == "nothing is held");
  event("a", start);
  auto line = dryRun();
  BOOST_TEST(line["dry_run"] == true);
  BOOST_TEST(line["unionid"] == "u1");
  BOOST_TEST(line["held"] == 1);
  BOOST_TEST(line["follows"] == true);
  BOOST_TEST(line["window_open_until"].is_null());
  BOOST_TEST(line["why"] == "first event with no window open: sent at once");
  const auto& send = line["would_send"];
  BOOST_TEST(send["kind"] == "single");
  BOOST_TEST(send["number"] == 1);
  BOOST_TEST(send["events"] == 1);
  BOOST_TEST(send["due_at"] == "2026-11-30T10:00:00+00:00");
  BOOST_TEST(send["message"]["touser"] == "oaLi");
  BOOST_TEST(send["message"]["template_id"] == "TPL_ONE");
  BOOST_TEST(send["message"]["data"]["thing1"] == "Li: a");
  BOOST_TEST(outboxRows() == 0);  // a dry run writes nothing ...
  BOOST_TEST(store->notices().user("u1").held.size() == 1u);
  BOOST_TEST(dryRun() == line);  // ... so it says the same again
}

BOOST_AUTO_TEST_CASE(events_in_an_open_window_are_held_until_its_close_then_merged) {
  event("a", start);
  sendDue();  // the single opens a window to 10:10
  BOOST_TEST(outboxRows() == 1);
  event("b", start + 30'000);
  event("c", start + 4 * kMinute);
  auto held = dryRun();
  BOOST_TEST(held["would_send"].is_null());
  BOOST_TEST(held["why"] == "events are held: a window is open");
  BOOST_TEST(held["held_by"] == "window");
  BOOST_TEST(held["still_held"] == 2);
  BOOST_TEST(held["notices_sent"] == 1);
  BOOST_TEST(held["window_open_until"] == "2026-11-30T10:10:00+00:00");
  BOOST_TEST(held["next_decision_at"] == "2026-11-30T10:10:00+00:00");
  clock.set(start + 6 * kMinute);
  store->notifications().markRead("u1", {"chat"}, clock.nowMs());  // b and c read
  event("d", start + 9 * kMinute);
  clock.set(start + 10 * kMinute);
  auto closing = dryRun();
  BOOST_TEST(closing["why"] == "the window closed: what it held is merged into one");
  BOOST_TEST(closing["would_send"]["kind"] == "many");
  BOOST_TEST(closing["would_send"]["number"] == 2);
  BOOST_TEST(closing["would_send"]["events"] == 1);
  BOOST_TEST(closing["dropped_read"] == 2);
  BOOST_TEST(closing["would_send"]["message"]["data"]["thing1"] == "1 new, 1 unread");
  BOOST_TEST(outboxRows() == 1);
}

BOOST_AUTO_TEST_CASE(quiet_hours_hold_a_first_event_and_say_until_when) {
  store->notices().setPreferences(
      "u1", Preferences{"Asia/Shanghai", "22:00-08:00", std::nullopt, std::nullopt}, 1);
  event("a", utcMs(2026, 11, 30, 15, 0));  // 23:00 in Shanghai
  auto line = dryRun();
  BOOST_TEST(line["timezone"] == "Asia/Shanghai");
  BOOST_TEST(line["quiet_hours"] == "22:00-08:00");
  BOOST_TEST(line["would_send"].is_null());
  BOOST_TEST(line["why"] == "events are held: the user's quiet hours");
  BOOST_TEST(line["held_by"] == "quiet_hours");
  BOOST_TEST(line["next_decision_at"] == "2026-12-01T08:00:00+08:00");
  clock.set(utcMs(2026, 12, 1, 0, 0));
  auto morning = dryRun();
  BOOST_TEST(morning["why"] == "quiet hours ended: what they held is merged into one");
  BOOST_TEST(morning["would_send"]["kind"] == "many");
}

BOOST_AUTO_TEST_CASE(a_user_following_no_oa_is_told_so_and_bad_arguments_exit_2) {
  store->notices().addHeldEvent(NotifyEvent{"x", "u2", "chat", "Li", "x", start});
  nlohmann::json line;
  BOOST_TEST(run({"--dry-run", "u2"}, line) == 0);
  BOOST_TEST(line["follows"] == false);
  BOOST_TEST(line["why"] == "a notice is due but the user follows no OA: nothing can be sent");
  BOOST_TEST(!line["would_send"].contains("message"));
  BOOST_TEST(run({"u1"}, line) == 2);
  BOOST_TEST(err.find("usage: notice --dry-run UNIONID") != std::string::npos);
  BOOST_TEST(run({"--dry-run", "u 1"}, line) == 2);
  config.notify.realtime.singleTemplate.clear();
  BOOST_TEST(run({"--dry-run", "u1"}, line) == 2);
  BOOST_TEST(err.find("notify.realtime.single") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
