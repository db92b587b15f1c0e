// The real-time notice rules along a fake clock: the first event at once, held events merged
// when the window closes, read ones dropped, each send opening the next window, quiet hours
// (and a DST change inside them) holding notices to one merged message, a window across
// midnight, and a late decision merging instead of bursting. How a digest takes held events and
// closes windows is the store's SQL: tests/store/notice_engine_test.cpp.
#include <date/tz.h>

#include <boost/test/unit_test.hpp>

#include "notify/notice_window.h"
#include "support/notice_timeline.h"
#include "support/utc_ms.h"

namespace wxb {

using test::NoticeTimeline;
using test::utcMs;

namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kTenMinutes = 10 * kMinute;

RealtimeRules rules() { return RealtimeRules{kTenMinutes, {"chat", "invitation"}}; }

// Asia/Shanghai is UTC+8 all year: wall time h:m on 2026-11-20 (or the next day past 24).
int64_t shanghai(int h, int m, int s = 0) { return utcMs(2026, 11, 20, h - 8, m, s); }

NoticePrefs prefs(const std::string& quiet = "", const std::string& zone = "Asia/Shanghai") {
  NoticePrefs p;
  p.timezone = zone;
  p.zone = date::locate_zone(zone);
  p.quietHours = parseQuietHours(quiet).value();
  return p;
}

NoticeTimeline timeline(const NoticePrefs& p = prefs()) {
  return NoticeTimeline(p, rules(), shanghai(9, 0));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_notice_window)

BOOST_AUTO_TEST_CASE(the_first_event_is_sent_at_once_and_opens_a_window) {
  auto t = timeline();
  t.event(shanghai(10, 0), "chat", "Li", "see you at 8");
  BOOST_REQUIRE(t.sent().size() == 1u);
  const auto& single = t.sent()[0];
  BOOST_TEST((single.kind == NoticeKind::Single));
  BOOST_TEST(single.atMs == shanghai(10, 0));
  BOOST_TEST(single.actor == "Li");
  BOOST_TEST(single.text == "see you at 8");
  BOOST_TEST(single.number == 1);
  BOOST_TEST(t.window().endMs == shanghai(10, 10));
  BOOST_TEST(!t.nextDecisionAtMs());
}

BOOST_AUTO_TEST_CASE(events_in_the_window_are_merged_into_one_many_when_it_closes) {
  auto t = timeline();
  t.event(shanghai(10, 0), "chat");
  t.event(shanghai(10, 0, 30), "chat", "Bo", "one");
  t.event(shanghai(10, 4), "invitation", "Cy", "two");
  t.event(shanghai(10, 7), "chat", "Di", "three");
  BOOST_TEST(t.sent().size() == 1u);
  BOOST_TEST(*t.nextDecisionAtMs() == shanghai(10, 10));
  t.runUntil(shanghai(10, 30));
  BOOST_REQUIRE(t.sent().size() == 2u);
  const auto& many = t.sent()[1];
  BOOST_TEST((many.kind == NoticeKind::Many));
  BOOST_TEST(many.atMs == shanghai(10, 10));
  BOOST_TEST(many.total == 3);   // the three after the first
  BOOST_TEST(many.unread == 4);  // everything unread
  BOOST_TEST(many.actor == "Di");
  BOOST_TEST(many.text == "three");
  BOOST_TEST(many.number == 2);
}

BOOST_AUTO_TEST_CASE(the_issue_timeline_reads_at_ten_past_six_leave_one_event) {
  auto t = timeline();
  t.event(shanghai(10, 0), "chat", "Li", "a");
  t.event(shanghai(10, 0, 30), "chat", "Li", "b");
  t.event(shanghai(10, 4), "chat", "Mo", "c");
  t.readAll(shanghai(10, 6));
  t.event(shanghai(10, 9), "chat", "Ni", "d");
  t.runUntil(shanghai(11, 0));
  BOOST_REQUIRE(t.sent().size() == 2u);
  BOOST_TEST((t.sent()[0].kind == NoticeKind::Single));
  BOOST_TEST(t.sent()[0].atMs == shanghai(10, 0));
  BOOST_TEST((t.sent()[1].kind == NoticeKind::Many));
  BOOST_TEST(t.sent()[1].atMs == shanghai(10, 10));
  BOOST_TEST(t.sent()[1].total == 1);
  BOOST_TEST(t.sent()[1].unread == 1);
  BOOST_TEST(t.sent()[1].text == "d");
  BOOST_TEST(t.dropped() == 2);  // b and c, read at 10:06
  BOOST_TEST(t.window().endMs == shanghai(10, 20));
}

BOOST_AUTO_TEST_CASE(events_read_before_the_close_are_not_sent_and_the_window_lapses) {
  auto t = timeline();
  t.event(shanghai(10, 0), "chat");
  t.event(shanghai(10, 2), "chat");
  t.event(shanghai(10, 3), "invitation");
  t.readAll(shanghai(10, 6));
  t.runUntil(shanghai(10, 11));
  BOOST_TEST(t.sent().size() == 1u);
  BOOST_TEST(t.dropped() == 2);
  BOOST_TEST(!t.nextDecisionAtMs());
  t.event(shanghai(10, 12), "chat");  // no window open: at once
  BOOST_REQUIRE(t.sent().size() == 2u);
  BOOST_TEST((t.sent()[1].kind == NoticeKind::Single));
  BOOST_TEST(t.sent()[1].atMs == shanghai(10, 12));
}

BOOST_AUTO_TEST_CASE(a_read_after_the_close_does_not_undo_the_notice) {
  // The decision due at 10:10 is made late, after a read at 10:10:01: the rules go by the
  // times, so the event was unread when its notice was due.
  const NoticeWindow open{shanghai(10, 10), 1};
  const int64_t late = shanghai(10, 10, 2);
  NoticePlan plan =
      planNotice(open, {PendingEvent{9, "chat", "", "", shanghai(10, 5), shanghai(10, 10, 1)}},
                 prefs(), rules(), late);
  BOOST_REQUIRE(plan.notice);
  BOOST_TEST(plan.notice->dueAtMs == shanghai(10, 10));
  plan = planNotice(open, {PendingEvent{9, "chat", "", "", shanghai(10, 5), shanghai(10, 9)}},
                    prefs(), rules(), late);
  BOOST_TEST(!plan.notice);
  BOOST_TEST(plan.droppedIds == std::vector<int64_t>{9});
}

BOOST_AUTO_TEST_CASE(the_many_send_opens_the_next_window) {
  auto t = timeline();
  t.event(shanghai(10, 0), "chat");
  t.event(shanghai(10, 5), "chat");
  t.event(shanghai(10, 12), "chat");  // after the many at 10:10: held to 10:20
  BOOST_TEST(t.sent().size() == 2u);
  BOOST_TEST(*t.nextDecisionAtMs() == shanghai(10, 20));
  t.event(shanghai(10, 19), "chat");
  t.runUntil(shanghai(11, 0));
  BOOST_REQUIRE(t.sent().size() == 3u);
  BOOST_TEST(t.sent()[2].atMs == shanghai(10, 20));
  BOOST_TEST(t.sent()[2].total == 2);
  BOOST_TEST(t.sent()[2].number == 3);
  t.event(shanghai(10, 31), "chat");  // 10:30 closed with nothing held: at once
  BOOST_REQUIRE(t.sent().size() == 4u);
  BOOST_TEST((t.sent()[3].kind == NoticeKind::Single));
}

BOOST_AUTO_TEST_CASE(quiet_hours_hold_notices_and_release_one_merged_message_at_their_end) {
  auto t = timeline(prefs("22:00-08:00"));
  t.event(shanghai(23, 0), "chat", "A", "late");
  t.event(shanghai(26, 0), "invitation", "B", "night");  // 02:00 the next day
  t.event(shanghai(29, 0), "chat", "C", "dawn");
  BOOST_TEST(t.sent().empty());
  BOOST_TEST(*t.nextDecisionAtMs() == shanghai(32, 0));
  t.runUntil(shanghai(33, 0));
  BOOST_REQUIRE(t.sent().size() == 1u);
  const auto& many = t.sent()[0];
  BOOST_TEST((many.kind == NoticeKind::Many));
  BOOST_TEST(many.atMs == shanghai(32, 0));  // 08:00
  BOOST_TEST(many.quietHoursEnded);
  BOOST_TEST(many.total == 3);
  BOOST_TEST(many.text == "dawn");
  BOOST_TEST(t.quietHeld() == 3);
  BOOST_TEST(t.window().endMs == shanghai(32, 10));
}

BOOST_AUTO_TEST_CASE(a_window_closing_in_quiet_hours_is_released_at_their_end) {
  auto t = timeline(prefs("22:00-08:00"));
  t.event(shanghai(21, 55), "chat");
  t.event(shanghai(21, 58), "chat");
  BOOST_TEST(*t.nextDecisionAtMs() == shanghai(32, 0));  // 22:05 is quiet
  t.runUntil(shanghai(32, 0));
  BOOST_REQUIRE(t.sent().size() == 2u);
  BOOST_TEST(t.sent()[1].total == 1);
  BOOST_TEST(t.sent()[1].quietHoursEnded);
}

BOOST_AUTO_TEST_CASE(held_events_read_in_quiet_hours_send_nothing_at_their_end) {
  auto t = timeline(prefs("22:00-08:00"));
  t.event(shanghai(23, 0), "chat");
  t.readAll(shanghai(31, 0));
  t.runUntil(shanghai(33, 0));
  BOOST_TEST(t.sent().empty());
  BOOST_TEST(t.dropped() == 1);
  BOOST_TEST(t.quietHeld() == 1);
}

BOOST_AUTO_TEST_CASE(urgent_direct_messages_pass_quiet_hours) {
  const NoticePrefs p = prefs("22:00-08:00");
  BOOST_TEST(deliverableAt(p.quietHours, p.zone, true, shanghai(23, 0)) == shanghai(23, 0));
  BOOST_TEST(deliverableAt(p.quietHours, p.zone, false, shanghai(23, 0)) == shanghai(32, 0));
  BOOST_TEST(deliverableAt(p.quietHours, p.zone, false, shanghai(12, 0)) == shanghai(12, 0));
  BOOST_TEST(deliverableAt(std::nullopt, p.zone, false, shanghai(23, 0)) == shanghai(23, 0));
}

BOOST_AUTO_TEST_CASE(a_dst_change_inside_quiet_hours_ends_them_at_the_wall_clock_time) {
  // New York springs forward at 02:00 on 2026-03-08: 22:00 EST to 08:00 EDT is nine hours.
  auto t =
      NoticeTimeline(prefs("22:00-08:00", "America/New_York"), rules(), utcMs(2026, 3, 7, 12, 0));
  t.event(utcMs(2026, 3, 8, 4, 0), "chat");                       // 23:00 EST
  t.event(utcMs(2026, 3, 8, 8, 0), "chat");                       // 04:00 EDT, after the gap
  BOOST_TEST(*t.nextDecisionAtMs() == utcMs(2026, 3, 8, 12, 0));  // 08:00 EDT
  t.runUntil(utcMs(2026, 3, 8, 14, 0));
  BOOST_REQUIRE(t.sent().size() == 1u);
  BOOST_TEST(t.sent()[0].atMs == utcMs(2026, 3, 8, 12, 0));
  BOOST_TEST(t.sent()[0].total == 2);
  // Falling back on 2026-11-01: 22:00 EDT to 08:00 EST is eleven hours.
  auto fall =
      NoticeTimeline(prefs("22:00-08:00", "America/New_York"), rules(), utcMs(2026, 10, 31, 12, 0));
  fall.event(utcMs(2026, 11, 1, 12, 30), "chat");  // 07:30 EST, quiet
  BOOST_TEST(*fall.nextDecisionAtMs() == utcMs(2026, 11, 1, 13, 0));
}

BOOST_AUTO_TEST_CASE(a_window_spanning_midnight_closes_after_it) {
  auto t = timeline();
  t.event(shanghai(23, 55), "chat");
  t.event(shanghai(23, 58), "chat");
  t.event(shanghai(24, 2), "invitation");
  t.runUntil(shanghai(25, 0));
  BOOST_REQUIRE(t.sent().size() == 2u);
  BOOST_TEST(t.sent()[1].atMs == shanghai(24, 5));
  BOOST_TEST(t.sent()[1].total == 2);
  // With quiet hours from midnight, the close at 00:05 waits for their end.
  auto quiet = timeline(prefs("00:00-07:00"));
  quiet.event(shanghai(23, 55), "chat");
  quiet.event(shanghai(23, 58), "chat");
  quiet.event(shanghai(27, 0), "chat");
  quiet.runUntil(shanghai(32, 0));
  BOOST_REQUIRE(quiet.sent().size() == 2u);
  BOOST_TEST(quiet.sent()[1].atMs == shanghai(31, 0));
  BOOST_TEST(quiet.sent()[1].total == 2);
}

BOOST_AUTO_TEST_CASE(muted_and_digest_only_types_are_never_announced) {
  NoticePrefs p = prefs();
  p.mutedTypes = {"invitation"};
  auto t = timeline(p);
  t.event(shanghai(10, 0), "invitation");
  t.event(shanghai(10, 1), "like");  // not real-time
  BOOST_TEST(t.sent().empty());
  BOOST_TEST(!t.nextDecisionAtMs());
  t.event(shanghai(10, 2), "chat");
  BOOST_REQUIRE(t.sent().size() == 1u);
  BOOST_TEST((t.sent()[0].kind == NoticeKind::Single));
  NoticePlan plan = planNotice({}, {PendingEvent{5, "invitation", "", "", shanghai(10, 0), 0}}, p,
                               rules(), shanghai(10, 0));
  BOOST_TEST(plan.ignoredIds == std::vector<int64_t>{5});
}

BOOST_AUTO_TEST_CASE(held_events_wait_with_what_holds_them_and_until_when) {
  NoticeWindow open{shanghai(10, 10), 1};
  std::vector<PendingEvent> held = {{1, "chat", "", "", shanghai(10, 2), 0},
                                    {2, "chat", "", "", shanghai(10, 3), 0}};
  NoticePlan plan = planNotice(open, held, prefs(), rules(), shanghai(10, 4));
  BOOST_TEST(!plan.notice);
  BOOST_TEST((plan.heldBy == HeldBy::Window));
  BOOST_TEST(plan.heldEvents == 2);
  BOOST_TEST(*plan.nextDecisionAtMs == shanghai(10, 10));
  plan = planNotice({}, held, prefs("10:00-11:00"), rules(), shanghai(10, 4));
  BOOST_TEST((plan.heldBy == HeldBy::QuietHours));
  BOOST_TEST(*plan.nextDecisionAtMs == shanghai(11, 0));
}

BOOST_AUTO_TEST_CASE(a_late_decision_keeps_the_due_times_and_windows) {
  // The engine decides two seconds late: the window still runs ten minutes from 10:00.
  NoticePlan plan = planNotice({}, {{1, "chat", "", "", shanghai(10, 0), 0}}, prefs(), rules(),
                               shanghai(10, 0, 2));
  BOOST_REQUIRE(plan.notice);
  BOOST_TEST(plan.notice->dueAtMs == shanghai(10, 0));
  BOOST_TEST(plan.window.endMs == shanghai(10, 10));
}

BOOST_AUTO_TEST_CASE(a_decision_overdue_by_more_than_a_window_merges_instead_of_a_burst) {
  // Nobody decided between 10:00 and 10:25 (every instance was down): by the rules a single
  // was due at 10:00, a many at 10:10 and one at 10:20; one merged many goes out instead.
  std::vector<PendingEvent> events = {{1, "chat", "", "", shanghai(10, 0), 0},
                                      {2, "chat", "", "", shanghai(10, 5), 0},
                                      {3, "chat", "", "late", shanghai(10, 15), 0}};
  NoticePlan plan = planNotice({0, 4}, events, prefs(), rules(), shanghai(10, 25));
  BOOST_REQUIRE(plan.notice);
  BOOST_TEST((plan.notice->kind == NoticeKind::Many));
  BOOST_TEST(plan.notice->caughtUp);
  BOOST_TEST(plan.notice->eventIds == (std::vector<int64_t>{1, 2, 3}));
  BOOST_TEST(plan.notice->number == 5);
  BOOST_TEST(plan.notice->dueAtMs == shanghai(10, 20));
  BOOST_TEST(plan.notice->text == "late");
  BOOST_TEST((plan.window == NoticeWindow{shanghai(10, 30), 5}));
  BOOST_TEST(!plan.nextDecisionAtMs);
}

BOOST_AUTO_TEST_CASE(the_same_inputs_give_the_same_plan_so_a_replay_reuses_the_key) {
  std::vector<PendingEvent> events = {{7, "chat", "", "", shanghai(10, 5), 0}};
  NoticeWindow open{shanghai(10, 10), 3};
  NoticePlan first = planNotice(open, events, prefs(), rules(), shanghai(10, 10));
  NoticePlan again = planNotice(open, events, prefs(), rules(), shanghai(10, 10, 40));
  BOOST_REQUIRE(first.notice);
  BOOST_REQUIRE(again.notice);
  BOOST_TEST(first.notice->number == 4);
  BOOST_TEST(again.notice->number == 4);
  BOOST_TEST((first.window == again.window));
  BOOST_TEST(noticeMessageKey("oU1", first.notice->number) == "realtime:oU1:4");
}

BOOST_AUTO_TEST_CASE(an_event_from_a_clock_a_little_ahead_waits_for_its_time) {
  NoticePlan plan = planNotice({}, {{1, "chat", "", "", shanghai(10, 0, 1), 0}}, prefs(), rules(),
                               shanghai(10, 0));
  BOOST_TEST(!plan.notice);
  BOOST_TEST(*plan.nextDecisionAtMs == shanghai(10, 0, 1));
}

BOOST_AUTO_TEST_CASE(an_event_read_before_its_single_was_due_opens_no_window) {
  NoticePlan plan = planNotice({}, {{1, "chat", "", "", shanghai(10, 0), shanghai(10, 0)}}, prefs(),
                               rules(), shanghai(10, 0, 1));
  BOOST_TEST(!plan.notice);
  BOOST_TEST(plan.droppedIds == std::vector<int64_t>{1});
  BOOST_TEST(plan.window.endMs == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
