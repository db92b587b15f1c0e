// The notice engine over the real store, on both backends and a manual clock: the timeline of
// docs/notify.md as outbox messages (keys, templates, counts), quiet hours held to their end,
// a digest that closes the window or takes what quiet hours held, users who follow no OA, muted
// types, and the notice metrics on GET /metrics after a scripted timeline.
#include "notify/notice_engine.h"

#include <date/tz.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

#include "bridge/metrics/notify_metrics.h"
#include "bridge/routes/ops_routes.h"
#include "notify/outbox_payload.h"
#include "notify/template_message.h"
#include "support/eventually.h"
#include "support/route_call.h"
#include "support/store_fixture.h"
#include "support/utc_ms.h"

namespace wxb::test {

namespace {

constexpr int64_t kMinute = 60'000;

TemplateSpec spec(const std::string& name) {
  TemplateSpec s{name, "TPL_" + name, std::nullopt, {}};
  s.data.emplace_back("first", parsePattern("{{actor}}: {{text}}").value());
  s.data.emplace_back("count", parsePattern("{{total}}/{{unread}} {{label}}").value());
  return s;
}

NotifySettings realtimeSettings() {
  NotifySettings s;
  s.templates["one"] = spec("one");
  s.templates["many"] = spec("many");
  s.typeLabels["chat"] = "chats";
  s.realtime.singleTemplate = "one";
  s.realtime.manyTemplate = "many";
  s.realtime.types = {"chat", "invitation"};
  s.realtime.throttleMs = 10 * kMinute;
  return s;
}

struct EngineFixture : StoreFixture {
  NotifySettings settings = realtimeSettings();
  ManualClock clock{utcMs(2026, 11, 30, 10, 0)};
  int64_t start = clock.nowMs();

  EngineFixture() { store->accounts().upsertFollowers({{"oaLi", "u1", true}}, 1); }

  NoticeEngine engine(const std::string& zone = "UTC") {
    return NoticeEngine(store->notices(), settings, zone, clock);
  }
  void event(const std::string& id, int64_t atMs, const std::string& text,
             const std::string& type = "chat", const std::string& unionid = "u1") {
    clock.set(atMs);
    store->notices().addHeldEvent(NotifyEvent{id, unionid, type, "Li", text, atMs});
  }
  // The realtime message number n to `unionid` (its created time after `start` appended to
  // its template id); nullopt when there is none.
  std::optional<TemplateMessage> notice(int n, const std::string& unionid = "u1") {
    const std::string key = "realtime:" + unionid + ":" + std::to_string(n);
    for (int64_t id = 1; auto m = store->notifications().message(id); ++id) {
      if (m->idempotencyKey != key) continue;
      TemplateMessage t = decodeTemplatePayload(m->payload, m->touser);
      t.templateId += "@" + std::to_string(m->createdAtMs - start);
      return t;
    }
    return std::nullopt;
  }
  static std::string field(const TemplateMessage& m, const std::string& key) {
    auto found = m.data.find(key);
    return found == m.data.end() ? "?" : found->second;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(notice_engine, EngineFixture)

BOOST_AUTO_TEST_CASE(the_documented_timeline_sends_single_then_one_many_per_window) {
  NoticeEngine e = engine();
  event("a", start, "a");
  BOOST_TEST(e.runDue().single == 1);
  event("b", start + 30'000, "b");
  event("c", start + 4 * kMinute, "c");
  BOOST_TEST(e.runDue().users == 0);  // held: due at the close
  clock.set(start + 6 * kMinute);
  store->notifications().markRead("u1", {}, clock.nowMs());
  event("d", start + 9 * kMinute, "d");
  clock.set(start + 10 * kMinute);
  NoticeCounts closed = e.runDue();
  BOOST_TEST(closed.many == 1);
  BOOST_TEST(closed.merged == 1);
  BOOST_TEST(closed.dropped == 2);
  auto first = notice(1);
  BOOST_REQUIRE(first);
  BOOST_TEST(first->templateId == "TPL_one@0");
  BOOST_TEST(field(*first, "first") == "Li: a");
  BOOST_TEST(field(*first, "count") == "1/1 chats");
  auto second = notice(2);
  BOOST_REQUIRE(second);
  BOOST_TEST(second->templateId == "TPL_many@600000");
  BOOST_TEST(field(*second, "first") == "Li: d");
  BOOST_TEST(field(*second, "count") == "1/1 chats");
  clock.set(start + 20 * kMinute);
  BOOST_TEST(e.runDue().users == 0);  // the window lapses: nothing held, nothing to decide
  BOOST_TEST(!notice(3));
  event("e", start + 31 * kMinute, "e");
  BOOST_TEST(e.runDue().single == 1);
  BOOST_TEST(notice(3)->templateId == "TPL_one@1860000");
}

// REVIEW5 F3: {{unread}} is never below {{total}}. A decision that runs late counts the held
// events unread at the window's close in {{total}}; one read since is still counted in {{unread}}.
BOOST_AUTO_TEST_CASE(unread_is_never_below_total_when_the_decision_runs_late) {
  NoticeEngine e = engine();
  event("a", start, "a");
  e.runDue();
  event("b", start + kMinute, "b");
  event("c", start + 2 * kMinute, "c");
  clock.set(start + 11 * kMinute);  // the window closed at 10 min; nobody decided yet
  store->notifications().markRead("u1", {}, clock.nowMs());
  event("d", start + 12 * kMinute, "d", "invitation");
  BOOST_TEST(e.runDue().many == 1);
  BOOST_REQUIRE(notice(2).has_value());
  BOOST_TEST(field(*notice(2), "count") == "2/3 chats");  // b, c read since; d unread
}

BOOST_AUTO_TEST_CASE(a_notice_in_quiet_hours_waits_for_their_end_and_merges) {
  settings.realtime.quietHours = parseQuietHours("22:00-08:00").value();
  NoticeEngine e = engine("Asia/Shanghai");  // 22:00 there is 14:00 UTC
  const int64_t night = utcMs(2026, 11, 30, 14, 30);
  event("a", night, "a");
  event("b", night + kMinute, "b");
  NoticeCounts held = e.runDue();
  BOOST_TEST(held.single + held.many == 0);
  BOOST_TEST((store->notices().nextDueMs() == std::optional<int64_t>(utcMs(2026, 12, 1, 0, 0))));
  clock.set(utcMs(2026, 12, 1, 0, 0));
  NoticeCounts morning = e.runDue();
  BOOST_TEST(morning.many == 1);
  BOOST_TEST(morning.quietHeld == 2);
  BOOST_TEST(field(*notice(1), "count") == "2/2 chats");
}

BOOST_AUTO_TEST_CASE(a_digest_in_an_open_window_closes_it_without_a_many) {
  NoticeEngine e = engine();
  event("a", start, "a");
  e.runDue();
  event("b", start + kMinute, "b");
  clock.set(start + 2 * kMinute);
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oaLi", "daily", "{}", 1}};
  store->notices().enqueueDigest(digest, heldCountedNow(*store, digest), clock.nowMs());
  NoticeCounts after = e.runDue();
  BOOST_TEST(after.many == 0);
  BOOST_TEST(after.single == 0);
  event("c", start + 3 * kMinute, "c");  // the window closed with the digest: at once
  BOOST_TEST(e.runDue().single == 1);
  BOOST_TEST(field(*notice(2), "first") == "Li: c");
}

// 22:00-08:00 in Shanghai is 14:00-00:00 UTC; the digest fires at 07:00 there (23:00 UTC).
BOOST_AUTO_TEST_CASE(a_digest_in_quiet_hours_takes_the_held_events_never_both) {
  settings.realtime.quietHours = parseQuietHours("22:00-08:00").value();
  NoticeEngine e = engine("Asia/Shanghai");
  event("a", utcMs(2026, 11, 30, 15, 0), "a");  // 23:00
  e.runDue();
  event("b", utcMs(2026, 11, 30, 18, 0), "b");  // 02:00
  e.runDue();
  clock.set(utcMs(2026, 11, 30, 23, 0));
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oaLi", "daily", "{}", 1}};
  BOOST_TEST(
      store->notices().enqueueDigest(digest, heldCountedNow(*store, digest), clock.nowMs()) == 1);
  e.runDue();
  clock.set(utcMs(2026, 12, 1, 0, 0));  // 08:00: nothing, the digest announced both
  NoticeCounts morning = e.runDue();
  BOOST_TEST(morning.single + morning.many == 0);
  BOOST_TEST(!notice(1).has_value());
  BOOST_TEST(!store->notices().nextDueMs().has_value());
}

BOOST_AUTO_TEST_CASE(events_after_a_quiet_hours_digest_go_out_at_the_end_alone) {
  settings.realtime.quietHours = parseQuietHours("22:00-08:00").value();
  NoticeEngine e = engine("Asia/Shanghai");
  event("a", utcMs(2026, 11, 30, 15, 0), "a");
  e.runDue();
  clock.set(utcMs(2026, 11, 30, 23, 0));
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oaLi", "daily", "{}", 1}};
  store->notices().enqueueDigest(digest, heldCountedNow(*store, digest), clock.nowMs());
  event("b", utcMs(2026, 11, 30, 23, 30), "after the digest");
  e.runDue();
  BOOST_TEST(!notice(1).has_value());  // still quiet hours
  clock.set(utcMs(2026, 12, 1, 0, 0));
  NoticeCounts morning = e.runDue();
  BOOST_TEST(morning.single + morning.many == 1);
  BOOST_REQUIRE(notice(1).has_value());
  BOOST_TEST(field(*notice(1), "first") == "Li: after the digest");
  BOOST_TEST(field(*notice(1), "count") == "1/2 chats");  // 1 held, 2 unread
  BOOST_TEST(
      notice(1)->templateId.ends_with("@" + std::to_string(utcMs(2026, 12, 1, 0, 0) - start)));
}

BOOST_AUTO_TEST_CASE(no_follower_no_message_and_the_window_stays_shut) {
  NoticeEngine e = engine();
  event("a", start, "a", "chat", "u2");
  NoticeCounts c = e.runDue();
  BOOST_TEST(c.noFollower == 1);
  BOOST_TEST(c.single == 0);
  BOOST_TEST(!notice(1, "u2"));
  BOOST_TEST((store->notices().user("u2").window == NoticeWindow{}));
  BOOST_TEST(store->notices().user("u2").held.empty());
}

BOOST_AUTO_TEST_CASE(muted_types_are_never_announced_nor_counted_as_unread) {
  store->notices().setPreferences(
      "u1",
      Preferences{std::nullopt, std::nullopt, std::vector<std::string>{"invitation"}, std::nullopt},
      1);
  NoticeEngine e = engine();
  event("i", start, "join", "invitation");
  event("a", start + 1, "a");
  BOOST_TEST(e.runDue().single == 1);
  BOOST_TEST(field(*notice(1), "first") == "Li: a");
  BOOST_TEST(field(*notice(1), "count") == "1/1 chats");
  BOOST_TEST(store->notices().user("u1").held.empty());
}

BOOST_AUTO_TEST_CASE(the_notice_metrics_count_a_scripted_timeline_on_the_metrics_route) {
  Metrics metrics;
  describeNotifyMetrics(metrics, store->notifications(), clock, settings.sender.dailyBudget);
  store->accounts().upsertFollowers({{"oaNi", "u2", true}}, 1);
  store->notices().setPreferences("u2",
                                  Preferences{"UTC", "10:15-10:45", std::nullopt, std::nullopt}, 1);
  NoticeEngine e(store->notices(), settings, "UTC", clock,
                 [&](const NoticeCounts& c) { countNotices(metrics, c); });
  auto at = [&](int64_t ms) {
    clock.set(ms);
    e.runDue();
  };
  event("a", start, "a");  // u1: the documented timeline
  at(start);
  event("b", start + 30'000, "b");
  event("c", start + 4 * kMinute, "c");
  clock.set(start + 6 * kMinute);
  store->notifications().markRead("u1", {}, clock.nowMs());
  event("d", start + 9 * kMinute, "d");
  event("x", start + 9 * kMinute + 30'000, "x", "chat", "u3");  // u3 follows no OA
  at(start + 9 * kMinute + 30'000);
  at(start + 10 * kMinute);                               // many: d merged, b and c dropped
  event("q1", start + 20 * kMinute, "q1", "chat", "u2");  // u2: quiet 10:15-10:45
  at(start + 20 * kMinute);
  event("q2", start + 25 * kMinute, "q2", "chat", "u2");
  at(start + 25 * kMinute);
  event("e", start + 31 * kMinute, "e");  // u1: the window lapsed, a single at once
  at(start + 31 * kMinute);
  at(start + 45 * kMinute);  // u2's quiet hours end: one many with both
  OpsRoutes ops(*store, metrics);
  Router router;
  ops.addTo(router);
  const std::string text = callRoute(router, "GET", "/metrics").body;
  for (const char* line : {"wxbridge_notify_notices_total{kind=\"single\"} 2\n",
                           "wxbridge_notify_notices_total{kind=\"many\"} 2\n",
                           "wxbridge_notify_notice_events_total{outcome=\"held\"} 5\n",
                           "wxbridge_notify_notice_events_total{outcome=\"merged\"} 3\n",
                           "wxbridge_notify_notice_events_total{outcome=\"dropped_read\"} 2\n",
                           "wxbridge_notify_notice_events_total{outcome=\"quiet_hours\"} 2\n",
                           "wxbridge_notify_notice_events_total{outcome=\"no_follower\"} 1\n",
                           "wxbridge_outbox_messages{state=\"pending\"} 4\n"}) {
    BOOST_TEST(text.find(line) != std::string::npos, line << " in\n" << text);
  }
}

// The deciding thread of `serve` (start, wake, stop) over the real store while other threads -
// as the /v1/events route's do - file events and wake it (the ThreadSanitizer pass runs this
// suite): each user's first event is announced at once by exactly one "single" notice, the
// second is held in the open window, and no user is announced twice.
BOOST_AUTO_TEST_CASE(the_deciding_thread_woken_by_other_threads_announces_each_user_once) {
  constexpr int kThreads = 3, kUsers = 6;
  auto unionid = [](int t, int u) { return "t" + std::to_string(t) + "u" + std::to_string(u); };
  std::vector<FollowerRecord> followers;
  for (int t = 0; t < kThreads; ++t) {
    for (int u = 0; u < kUsers; ++u)
      followers.push_back({"oa" + unionid(t, u), unionid(t, u), true});
  }
  store->accounts().upsertFollowers(followers, 1);
  std::atomic<int64_t> singles{0};
  NoticeEngine deciding(store->notices(), settings, "UTC", clock,
                        [&](const NoticeCounts& c) { singles += c.single; });
  deciding.start();
  std::vector<std::thread> routes;
  for (int t = 0; t < kThreads; ++t) {
    routes.emplace_back([&, t] {
      for (int e = 0; e < 2; ++e) {
        for (int u = 0; u < kUsers; ++u) {
          const std::string id = unionid(t, u) + "-" + std::to_string(e);
          store->notices().addHeldEvent(NotifyEvent{id, unionid(t, u), "chat", "Li", id, start});
          deciding.wake();
        }
      }
    });
  }
  for (auto& r : routes) r.join();
  waitUntil([&] { return singles.load() == kThreads * kUsers; }, 30'000, "a notice per user", 20);
  deciding.stop();
  BOOST_TEST(deciding.runDue().users == 0);  // nothing left due
  BOOST_TEST(singles.load() == kThreads * kUsers);
  for (int t = 0; t < kThreads; ++t) {
    for (int u = 0; u < kUsers; ++u) {
      BOOST_TEST(notice(1, unionid(t, u)).has_value(), unionid(t, u));
      BOOST_TEST(!notice(2, unionid(t, u)).has_value(), unionid(t, u));
      BOOST_TEST(store->notices().user(unionid(t, u)).held.size() == 1u, unionid(t, u));
    }
  }
}

// One payload form for every enqueuer (review 3 #10): a notice is stored as the outbox payload
// with one oa_template form, as direct messages are.
BOOST_AUTO_TEST_CASE(a_notice_writes_the_outbox_payload_with_one_oa_template_form) {
  NoticeEngine e = engine();
  event("a", start, "a");
  BOOST_TEST(e.runDue().single == 1);
  auto m = store->notifications().message(1);
  BOOST_REQUIRE(m);
  OutboxPayload payload = decodeOutboxPayload(m->payload);
  BOOST_TEST(m->payload.find("\"forms\"") != std::string::npos, m->payload);
  BOOST_REQUIRE(payload.forms.size() == 1u);
  BOOST_TEST((payload.forms[0].channel == Channel::OaTemplate));
  BOOST_TEST(payload.forms[0].templateId == "TPL_one");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
