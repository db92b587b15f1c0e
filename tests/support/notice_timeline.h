// NoticeTimeline: drives the real-time notice rules (notify/notice_window.h) along a fake clock
// the way the engine does - a decision when an event arrives and whenever the last plan said
// the next one is due, each plan applied (announced, dropped and ignored events leave the
// pending list, the window is kept) - and records what would have been sent and when. For the
// unit tests of the rules; the store-backed engine, and the digest that closes windows, are
// tested on the real store (tests/store/notice_engine_test.cpp). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cron/clock.h"
#include "notify/notice_window.h"

namespace wxb::test {

// One notice as the timeline sent it.
struct SentNotice {
  NoticeKind kind = NoticeKind::Single;
  int64_t atMs = 0;     // the clock when the plan was made
  int64_t dueAtMs = 0;  // the plan's due time
  int64_t number = 0;
  int64_t total = 0;   // held events it announces
  int64_t unread = 0;  // every unread event of an eligible type at atMs
  std::string actor;
  std::string text;
  bool quietHoursEnded = false;
  bool caughtUp = false;
};

class NoticeTimeline {
 public:
  NoticeTimeline(NoticePrefs prefs, RealtimeRules rules, int64_t startMs);

  // Runs every decision due up to atMs, then an event arrives at atMs and is decided at once.
  void event(int64_t atMs, const std::string& type, const std::string& actor = "Ann",
             const std::string& text = "hi");
  // Runs every decision due up to atMs, then the user reads everything at atMs.
  void readAll(int64_t atMs);
  // Runs every decision due up to atMs and leaves the clock there.
  void runUntil(int64_t atMs);

  const std::vector<SentNotice>& sent() const { return sent_; }
  const NoticeWindow& window() const { return window_; }
  const std::optional<int64_t>& nextDecisionAtMs() const { return nextDecision_; }
  int64_t dropped() const { return dropped_; }
  int64_t quietHeld() const { return quietHeld_; }
  ManualClock& clock() { return clock_; }

 private:
  void decide();
  void apply(const NoticePlan& plan);
  int64_t unreadCount() const;

  NoticePrefs prefs_;
  RealtimeRules rules_;
  ManualClock clock_;
  NoticeWindow window_;
  std::vector<PendingEvent> pending_;  // not announced yet (read ones included)
  std::vector<PendingEvent> announced_;
  std::optional<int64_t> nextDecision_;
  std::vector<SentNotice> sent_;
  int64_t nextId_ = 1;
  int64_t dropped_ = 0;
  int64_t quietHeld_ = 0;
};

}  // namespace wxb::test
