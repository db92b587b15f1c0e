// Store contract: real-time notices - held events and when their user falls due, the claim that
// decides each due user once across processes, the digest that announces held events and closes
// windows, and per-user preferences. Runs unchanged on SQLite and MariaDB.
#include "store/notices/notices.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"
#include "store/open_store.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

NotifyEvent chat(const std::string& id, const std::string& unionid, int64_t atMs,
                 const std::string& text = "hi") {
  return NotifyEvent{id, unionid, "chat", "Li", text, atMs};
}

// A decision that announces every unread held event in one message (number notices + 1) and
// opens a window of 10 s from nowMs; nothing is held after it.
NoticeDecision announceAll(const NoticeUser& user, int64_t nowMs) {
  NoticeDecision d;
  d.window = user.window;
  for (const auto& e : user.held) {
    if (e.readAtMs != 0) {
      d.marks.emplace_back(e.id, kEventDropped);
      continue;
    }
    if (!d.message) {
      d.window = {nowMs + 10'000, user.window.notices + 1};
      d.message = NewMessage{"realtime:" + user.unionid + ":" + std::to_string(d.window.notices),
                             user.unionid,
                             user.oaOpenid,
                             "single",
                             "{}",
                             0};
    }
    d.marks.emplace_back(e.id, d.window.notices);
  }
  return d;
}

// Makes every insert into notice_windows for `unionid` fail (a trigger), through a connection of
// its own: an intake batch with an event of that user fails after its events were written.
void poisonWindowsOf(const StoreSettings& settings, const std::string& unionid) {
  std::unique_ptr<Db> db;
  std::string trigger;
  if (settings.kind == StoreSettings::Kind::Mysql) {
    db = std::make_unique<MysqlDb>(settings, wallClock());
    trigger =
        "CREATE TRIGGER poison BEFORE INSERT ON notice_windows FOR EACH ROW BEGIN IF"
        " NEW.unionid = '" +
        unionid +
        "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT ="
        " 'poisoned'; END IF; END";
  } else {
    db = std::make_unique<SqliteDb>(settings.sqlitePath, wallClock());
    trigger = "CREATE TRIGGER poison BEFORE INSERT ON notice_windows WHEN NEW.unionid = '" +
              unionid + "' BEGIN SELECT RAISE(ABORT, 'poisoned'); END";
  }
  db->session([&](Session& s) { s.executeScript(trigger); });
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_notices, StoreFixture)

BOOST_AUTO_TEST_CASE(a_held_event_makes_its_user_due_at_its_arrival_and_a_digest_only_one_not) {
  Notices& n = store->notices();
  BOOST_TEST(!n.nextDueMs().has_value());
  BOOST_TEST(store->notifications().addEvent(NotifyEvent{"d1", "u1", "invitation", "", "", 500}));
  BOOST_TEST(!n.nextDueMs().has_value());
  BOOST_TEST(n.addHeldEvent(chat("e1", "u1", 1'000)));
  BOOST_TEST(!n.addHeldEvent(chat("e1", "u1", 1'500)));  // the same event_id: nothing new
  BOOST_TEST(n.addHeldEvent(chat("e2", "u1", 1'200)));
  BOOST_TEST((n.nextDueMs() == std::optional<int64_t>(1'000)));
  NoticeUser u = n.user("u1");
  BOOST_TEST(u.held.size() == 2u);  // the invitation is not held
  BOOST_TEST((u.dueAtMs == std::optional<int64_t>(1'000)));
  BOOST_TEST(u.unread.size() == 2u);  // chat 2, invitation 1
}

BOOST_AUTO_TEST_CASE(decide_due_writes_message_markers_and_window_in_one_go) {
  Notices& n = store->notices();
  store->accounts().upsertFollowers({{"oa1", "u1", true}}, 1);
  n.addHeldEvent(chat("e1", "u1", 1'000, "a"));
  n.addHeldEvent(chat("e2", "u1", 1'100, "b"));
  store->notifications().markRead("u1", {}, 1'150);
  n.addHeldEvent(chat("e3", "u1", 1'200, "c"));
  n.setPreferences("u1", Preferences{"Europe/Berlin", std::nullopt, std::nullopt, false}, 1);
  std::vector<NoticeUser> seen;
  auto done = n.decideDue(2'000, 10, [&](const NoticeUser& user) {
                 seen.push_back(user);
                 return announceAll(user, 2'000);
               }).decided;
  BOOST_REQUIRE(done.size() == 1u);
  BOOST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].oaOpenid == "oa1");
  BOOST_TEST(seen[0].subscribed);
  BOOST_TEST(seen[0].held.size() == 3u);
  BOOST_TEST(seen[0].held[2].text == "c");
  BOOST_TEST(seen[0].held[0].readAtMs == 1'150);
  BOOST_TEST((seen[0].preferences.timezone == std::optional<std::string>("Europe/Berlin")));
  BOOST_TEST((seen[0].preferences.digest == std::optional<bool>(false)));
  auto key = store->notifications().enqueue(
      NewMessage{"realtime:u1:1", "u1", "oa1", "single", "{}", 0}, 3'000);
  BOOST_TEST(!key.created);  // the decision's message is in the outbox
  NoticeUser after = n.user("u1");
  BOOST_TEST(after.held.empty());
  BOOST_TEST(!after.dueAtMs.has_value());
  BOOST_TEST((after.window == (NoticeWindow{12'000, 1})));
  BOOST_TEST(n.decideDue(5'000, 10, [](const NoticeUser&) -> NoticeDecision {
                throw std::logic_error("nobody is due");
              }).decided.empty());
}

BOOST_AUTO_TEST_CASE(an_event_inside_an_open_window_is_due_at_its_close) {
  Notices& n = store->notices();
  n.addHeldEvent(chat("e1", "u1", 1'000));
  n.decideDue(1'000, 10, [](const NoticeUser& u) { return announceAll(u, 1'000); });
  n.addHeldEvent(chat("e2", "u1", 4'000));
  BOOST_TEST((n.nextDueMs() == std::optional<int64_t>(11'000)));
  BOOST_TEST(n.decideDue(10'999, 10, [](const NoticeUser& u) {
                return announceAll(u, 0);
              }).decided.empty());
  // A decision that holds the events on (quiet hours) sets the next due time itself.
  auto done = n.decideDue(11'000, 10, [](const NoticeUser& u) {
                 NoticeDecision d;
                 d.window = u.window;
                 d.dueAtMs = 50'000;
                 return d;
               }).decided;
  BOOST_TEST(done.size() == 1u);
  BOOST_TEST((n.nextDueMs() == std::optional<int64_t>(50'000)));
  // An arrival never delays a due time; one before it brings the decision forward.
  n.addHeldEvent(chat("e3", "u1", 20'000));
  BOOST_TEST((n.nextDueMs() == std::optional<int64_t>(20'000)));
  n.addHeldEvent(chat("e4", "u1", 30'000));
  BOOST_TEST((n.nextDueMs() == std::optional<int64_t>(20'000)));
}

BOOST_AUTO_TEST_CASE(a_digest_announces_held_events_and_closes_the_window) {
  Notices& n = store->notices();
  n.addHeldEvent(chat("e1", "u1", 1'000));
  n.decideDue(1'000, 10, [](const NoticeUser& u) { return announceAll(u, 1'000); });
  n.addHeldEvent(chat("e2", "u1", 2'000));
  n.addHeldEvent(chat("e3", "u2", 2'000));
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oa1", "daily", "{}", 1}};
  BOOST_TEST(n.enqueueDigest(digest, heldCountedNow(*store, digest), 3'000) == 1);
  BOOST_TEST(n.enqueueDigest(digest, heldCountedNow(*store, digest), 3'000) == 0);
  NoticeUser u1 = n.user("u1");
  BOOST_TEST(u1.held.empty());
  BOOST_TEST((u1.window == (NoticeWindow{3'000, 1})));
  BOOST_TEST((u1.dueAtMs == std::optional<int64_t>(3'000)));  // decided again: nothing held
  BOOST_TEST(n.user("u2").held.size() == 1u);                 // not in the digest: still held
  auto done =
      n.decideDue(3'000, 10, [](const NoticeUser& u) { return announceAll(u, 3'000); }).decided;
  BOOST_REQUIRE(done.size() == 2u);
  for (const auto& [user, decision] : done) {
    BOOST_TEST((user.unionid == "u1" ? !decision.message : !!decision.message));
  }
}

BOOST_AUTO_TEST_CASE(a_resumed_digest_leaves_events_held_since_its_message_alone) {
  Notices& n = store->notices();
  n.addHeldEvent(chat("e1", "u1", 1'000));
  n.decideDue(1'000, 10, [](const NoticeUser& u) { return announceAll(u, 1'000); });
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oa1", "daily", "{}", 1}};
  BOOST_TEST(n.enqueueDigest(digest, heldCountedNow(*store, digest), 2'000) == 1);
  n.decideDue(2'000, 10, [](const NoticeUser& u) { return announceAll(u, 2'000); });
  n.addHeldEvent(chat("e2", "u1", 3'000));  // a single at 3 s opens a window to 13 s ...
  n.decideDue(3'000, 10, [](const NoticeUser& u) { return announceAll(u, 3'000); });
  n.addHeldEvent(chat("e3", "u1", 4'000, "e3"));  // ... which holds e3
  const NoticeUser before = n.user("u1");
  BOOST_TEST(n.enqueueDigest(digest, heldCountedNow(*store, digest), 5'000) ==
             0);  // the run resumed: known key
  const NoticeUser after = n.user("u1");
  BOOST_REQUIRE(after.held.size() == 1u);
  BOOST_TEST(after.held[0].text == "e3");
  BOOST_TEST((after.window == before.window));
  BOOST_TEST((after.dueAtMs == before.dueAtMs));
}

// REVIEW5 F2: an intake that commits after the digest's read - even with an arrival time before
// it, as when the digest waited for the intake's window lock at READ COMMITTED - stays held: the
// digest marks only the held events its message counted (by id), and the user is decided at
// once. (Marking by arrival time, created_at <= the read's time, announced e2 uncounted.)
BOOST_AUTO_TEST_CASE(a_digest_announces_only_the_held_events_its_read_counted) {
  Notices& n = store->notices();
  n.addHeldEvent(chat("e1", "u1", 1'000));
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oa1", "daily", "{}", 1}};
  const auto counted = heldCountedNow(*store, digest);  // the digest's read at 2 s: e1
  BOOST_REQUIRE(counted.size() == 1u);
  n.addHeldEvent(chat("e2", "u1", 1'500, "e2"));  // accepted before the read, committed after
  BOOST_TEST(n.enqueueDigest(digest, counted, 3'000) == 1);
  const NoticeUser u1 = n.user("u1");
  BOOST_REQUIRE(u1.held.size() == 1u);
  BOOST_TEST(u1.held[0].text == "e2");
  BOOST_TEST((u1.dueAtMs == std::optional<int64_t>(3'000)));  // decided at once
}

// The bound is the newest *held* event counted, not the newest unread: a digest-only event that
// committed after a held one has a larger id, yet a held event committed after the read stays.
BOOST_AUTO_TEST_CASE(a_digest_bound_ignores_newer_events_that_are_not_held) {
  Notices& n = store->notices();
  n.addHeldEvent(chat("e1", "u1", 1'000));
  store->notifications().addEvent(NotifyEvent{"d1", "u1", "digest_only", "Li", "d", 1'100});
  std::vector<NewMessage> digest = {{"digest:1:u1", "u1", "oa1", "daily", "{}", 1}};
  const auto counted = heldCountedNow(*store, digest);
  BOOST_TEST(counted.at("u1") == n.user("u1").held.at(0).id);
  n.addHeldEvent(chat("e2", "u1", 1'200, "e2"));
  n.enqueueDigest(digest, counted, 3'000);
  const NoticeUser u1 = n.user("u1");
  BOOST_REQUIRE(u1.held.size() == 1u);
  BOOST_TEST(u1.held[0].text == "e2");
}

BOOST_AUTO_TEST_CASE(preferences_keep_absent_fields_absent_and_are_replaced_whole) {
  Notices& n = store->notices();
  BOOST_TEST(!n.preferences("u1").has_value());
  Preferences all{"Asia/Tokyo", "22:00-07:30", std::vector<std::string>{"chat", "invitation"},
                  true};
  n.setPreferences("u1", all, 1);
  BOOST_TEST((n.preferences("u1") == std::optional<Preferences>(all)));
  Preferences some{std::nullopt, "", std::vector<std::string>{}, std::nullopt};
  n.setPreferences("u1", some, 2);
  BOOST_TEST((n.preferences("u1") == std::optional<Preferences>(some)));
  BOOST_TEST(!n.preferences("u2").has_value());
}

BOOST_AUTO_TEST_CASE(a_user_whose_decision_throws_is_put_off_and_the_others_go_on) {
  Notices& n = store->notices();
  for (const std::string u : {"u1", "u2", "u3"}) n.addHeldEvent(chat("e-" + u, u, 1'000));
  auto done = n.decideDue(2'000, 10, [](const NoticeUser& u) {
    if (u.unionid == "u2") throw std::runtime_error("poisoned");
    return announceAll(u, 2'000);
  });
  BOOST_TEST(done.decided.size() == 2u);
  BOOST_REQUIRE(done.failed.size() == 1u);
  BOOST_TEST(done.failed[0].unionid == "u2");
  BOOST_TEST(done.failed[0].reason == "poisoned");
  BOOST_TEST(n.user("u1").held.empty());
  BOOST_TEST(n.user("u3").held.empty());
  const NoticeUser u2 = n.user("u2");
  BOOST_TEST(u2.held.size() == 1u);  // left as it was ...
  BOOST_TEST((u2.window == NoticeWindow{}));
  const int64_t retry = 2'000 + Notices::kFailedRetryMs;
  BOOST_TEST((u2.dueAtMs == std::optional<int64_t>(retry)));  // ... and tried again later
  auto announce = [](const NoticeUser& u) { return announceAll(u, 0); };
  BOOST_TEST(n.decideDue(retry - 1, 10, announce).decided.empty());
  auto later = n.decideDue(retry, 10, announce);
  BOOST_REQUIRE(later.decided.size() == 1u);
  BOOST_TEST(later.decided[0].first.unionid == "u2");
  BOOST_TEST(later.failed.empty());
}

BOOST_AUTO_TEST_CASE(concurrent_preference_puts_of_new_users_all_land) {
  constexpr int kUsers = 40, kProcesses = 4;
  bool ok = runInProcesses(kProcesses, [&](int index) {
    auto own = openStore(settings, wallClock());
    for (int u = 0; u < kUsers; ++u) {
      Preferences p{std::nullopt, "2" + std::to_string(index) + ":00-08:00", std::nullopt, true};
      own->notices().setPreferences("p" + std::to_string(u), p, index);
    }
    return 0;
  });
  BOOST_REQUIRE(ok);  // no lost lock race escaped
  for (int u = 0; u < kUsers; ++u) {
    auto p = store->notices().preferences("p" + std::to_string(u));
    BOOST_REQUIRE(p);
    BOOST_TEST((p->digest == std::optional<bool>(true)));
    BOOST_TEST(p->quietHours->size() == 11u);
  }
}

// The digest and the notice engine take a user's window before its events (finding: the digest
// took events first and deadlocked with the engine on MariaDB). The engine decides the users
// in the reverse of the digest's unionid order and dawdles in each decision, so that with the
// old order both held what the other waited for. No claim runs twice (a lock race would rerun
// decide), nothing escapes, and every held event is announced by exactly one of them.
BOOST_AUTO_TEST_CASE(a_digest_page_and_the_notice_engine_together_never_deadlock) {
  constexpr int kUsers = 40;
  auto unionid = [](int u) { return "u" + std::string(u < 10 ? "0" : "") + std::to_string(u); };
  std::vector<NewMessage> digest;
  for (int u = 0; u < kUsers; ++u) {
    for (int e = 0; e < 3; ++e) {
      const std::string id = unionid(u) + "-" + std::to_string(e);
      store->notices().addHeldEvent(chat(id, unionid(u), 1'000 + (kUsers - u) * 10 + e));
    }
    digest.push_back({"digest:1:" + unionid(u), unionid(u), "oa", "daily", "{}", 1});
  }
  const auto counted = heldCountedNow(*store, digest);  // read before the children's connections
  auto dir = std::filesystem::temp_directory_path() / ("wxb-digest-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  bool ok = runInProcesses(2, [&](int index) {
    auto own = openStore(settings, wallClock());
    if (index == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the engine claims first
      return own->notices().enqueueDigest(digest, counted, 10'000) == kUsers ? 0 : 1;
    }
    int calls = 0, decided = 0;
    for (;;) {
      auto done = own->notices().decideDue(10'000, 5, [&](const NoticeUser& u) {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return announceAll(u, 10'000);
      });
      if (done.decided.empty()) break;
      decided += static_cast<int>(done.decided.size());
    }
    std::ofstream(dir / "engine") << calls << " " << decided;
    return 0;
  });
  int calls = -1, decided = -2;
  std::ifstream(dir / "engine") >> calls >> decided;
  std::filesystem::remove_all(dir);
  BOOST_REQUIRE(ok);
  BOOST_TEST(decided > 0);
  BOOST_TEST(calls == decided);
  for (int u = 0; u < kUsers; ++u) BOOST_TEST(store->notices().user(unionid(u)).held.empty());
}

BOOST_AUTO_TEST_CASE(concurrent_deciders_decide_each_due_user_once) {
  constexpr int kUsers = 60, kProcesses = 4;
  for (int u = 0; u < kUsers; ++u) {
    const std::string unionid = "u" + std::to_string(u);
    for (int e = 0; e < 3; ++e) {
      store->notices().addHeldEvent(chat(unionid + "-" + std::to_string(e), unionid, 1'000 + e));
    }
  }
  auto dir = std::filesystem::temp_directory_path() / ("wxb-notices-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  bool ok = runInProcesses(kProcesses, [&](int index) {
    auto own = openStore(settings, wallClock());
    std::ofstream log(dir / std::to_string(index));
    for (;;) {
      auto done =
          own->notices()
              .decideDue(5'000, 3, [](const NoticeUser& u) { return announceAll(u, 5'000); })
              .decided;
      if (done.empty()) return 0;
      for (const auto& [user, decision] : done) log << user.unionid << "\n";
    }
  });
  BOOST_REQUIRE(ok);
  std::map<std::string, int> decided;
  for (int i = 0; i < kProcesses; ++i) {
    std::ifstream in(dir / std::to_string(i));
    for (std::string unionid; in >> unionid;) ++decided[unionid];
  }
  std::filesystem::remove_all(dir);
  BOOST_TEST(decided.size() == static_cast<size_t>(kUsers));
  for (const auto& [unionid, times] : decided) BOOST_TEST(times == 1, unionid);
  BOOST_TEST(store->notifications().depthByState()[OutboxState::Pending] == kUsers);
}

BOOST_AUTO_TEST_CASE(an_intake_batch_stores_each_new_event_once_and_files_users_at_the_earliest) {
  Notices& n = store->notices();
  BOOST_TEST(n.addHeldEvent(chat("e1", "u3", 1'000)));
  const std::vector<NotifyEvent> batch = {chat("e1", "u1", 1'100), chat("e2", "u1", 2'000),
                                          chat("e3", "u2", 1'500), chat("e2", "u2", 2'100),
                                          chat("e4", "u1", 1'800)};
  BOOST_TEST((n.addHeldEvents(batch) == std::vector<bool>{false, true, true, false, true}));
  BOOST_TEST((n.user("u1").dueAtMs == std::optional<int64_t>(1'800)));
  BOOST_TEST(n.user("u1").held.size() == 2u);
  BOOST_TEST((n.user("u2").dueAtMs == std::optional<int64_t>(1'500)));
  BOOST_TEST(n.user("u2").held.size() == 1u);
  BOOST_TEST(n.user("u3").held.size() == 1u);  // e1 stayed u3's
}

BOOST_AUTO_TEST_CASE(concurrent_intake_calls_store_every_new_event_once) {
  constexpr int kThreads = 8, kPerThread = 40;
  std::atomic<int> stored{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Threads t and t ^ 1 post the same ids: each is stored by one of them.
        const std::string id = "e" + std::to_string(t / 2) + "-" + std::to_string(i);
        if (store->notices().addHeldEvent(chat(id, "u" + std::to_string(i % 7), 1'000 + i))) {
          ++stored;
        }
      }
    });
  }
  for (auto& c : callers) c.join();
  BOOST_TEST(stored.load() == kThreads / 2 * kPerThread);
  int64_t held = 0;
  for (int u = 0; u < 7; ++u) {
    const NoticeUser user = store->notices().user("u" + std::to_string(u));
    held += static_cast<int64_t>(user.held.size());
    BOOST_TEST((user.dueAtMs == std::optional<int64_t>(1'000 + u)));
  }
  BOOST_TEST(held == kThreads / 2 * kPerThread);
}

BOOST_AUTO_TEST_CASE(a_failed_intake_batch_fails_every_call_and_stores_none_of_it) {
  poisonWindowsOf(settings, "poisoned");
  Notices& n = store->notices();
  BOOST_CHECK_THROW(
      n.addHeldEvents(std::vector<NotifyEvent>{
          chat("e1", "u1", 1'000), chat("e2", "poisoned", 1'000), chat("e3", "u2", 1'000)}),
      StoreError);
  BOOST_TEST(n.user("u1").held.empty());
  BOOST_TEST(!n.nextDueMs().has_value());
  // Concurrent calls that meet the poisoned one in a batch fail with it; a call alone succeeds.
  std::atomic<int> failed{0}, stored{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 6; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string unionid = t == 0 && i % 4 == 0 ? "poisoned" : "u1";
        try {
          stored += n.addHeldEvent(
              chat("c" + std::to_string(t) + "-" + std::to_string(i), unionid, 2'000));
        } catch (const StoreError&) {
          ++failed;
        }
      }
    });
  }
  for (auto& c : callers) c.join();
  BOOST_TEST(failed.load() >= 5);  // at least the five poisoned calls
  BOOST_TEST(stored.load() + failed.load() == 120);
  BOOST_TEST(n.user("u1").held.size() == static_cast<size_t>(stored.load()));
  BOOST_TEST(n.user("poisoned").held.empty());
}

BOOST_AUTO_TEST_CASE(one_claim_decides_many_users_each_with_its_own_state) {
  Notices& n = store->notices();
  store->accounts().upsertFollowers({{"oa1", "u1", true}, {"oa2", "u2", false}}, 1);
  n.setPreferences("u1", Preferences{"Europe/Berlin", std::nullopt, std::nullopt, false}, 1);
  BOOST_TEST(n.addHeldEvent(chat("a1", "u1", 1'000)));
  BOOST_TEST(n.addHeldEvent(chat("a2", "u1", 1'001)));
  BOOST_TEST(n.addHeldEvent(chat("b1", "u2", 1'002)));
  BOOST_TEST(n.addHeldEvent(chat("c1", "u3", 1'003)));
  std::map<std::string, NoticeUser> seen;
  auto done = n.decideDue(5'000, 10, [&](const NoticeUser& u) {
    seen[u.unionid] = u;
    return announceAll(u, 5'000);
  });
  BOOST_TEST(done.decided.size() == 3u);
  BOOST_TEST(seen["u1"].held.size() == 2u);
  BOOST_TEST(seen["u1"].oaOpenid == "oa1");
  BOOST_TEST(seen["u1"].subscribed);
  BOOST_TEST((seen["u1"].preferences.timezone == std::optional<std::string>("Europe/Berlin")));
  BOOST_TEST(seen["u2"].held.size() == 1u);
  BOOST_TEST(!seen["u2"].subscribed);
  BOOST_TEST(!seen["u2"].preferences.timezone.has_value());
  BOOST_TEST(seen["u3"].oaOpenid.empty());
  BOOST_TEST(seen["u1"].unread.size() == 1u);
  BOOST_TEST(seen["u1"].unread.at(0).count == 2);
  for (const char* u : {"u1", "u2", "u3"}) {
    BOOST_TEST(n.user(u).held.empty(), u);
    BOOST_TEST((n.user(u).window == NoticeWindow{15'000, 1}), u);
    BOOST_TEST(!n.user(u).dueAtMs.has_value(), u);
  }
  BOOST_TEST(store->notifications().depthByState()[OutboxState::Pending] == 3);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
