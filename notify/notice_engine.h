// NoticeEngine: applies the real-time notice rules (planNotice, notify/notice_window.h) to the
// users the store says are due - an event arrived, a window closed, quiet hours ended - and
// writes each decision through the store's claim (Notices::decideDue): the "single" or "many"
// message into the outbox with the key realtime:<unionid>:<notice number>, the events' markers
// and the user's new window, in one transaction, so that a kill -9 at any point loses nothing
// and sends nothing twice, and two instances never decide the same user at once.
//
// `wxbridge serve` runs start()/stop(): one thread decides what is due, sleeps until the next
// due time (at most a second: another instance may have filed users), and is woken by the
// /v1/events route after a real-time event. `wxbridge notice --dry-run` calls preview().
// A user who follows no OA gets no message: the events that fell due are marked so and the
// window stays as it was. Thread-safe; the destructor stops the thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cron/clock.h"
#include "cron/timed_loop.h"
#include "notify/notice_window.h"
#include "notify/notify_settings.h"
#include "notify/preferences.h"
#include "store/notices/notices.h"

namespace wxb {

// What decisions did, for the metrics.
struct NoticeCounts {
  int64_t single = 0;      // "single" notices enqueued
  int64_t many = 0;        // "many" notices enqueued
  int64_t held = 0;        // events not sent at once: a "many" notice's, and the dropped ones
  int64_t merged = 0;      // held events announced by a "many" notice
  int64_t dropped = 0;     // held events read before their notice was due: never sent
  int64_t quietHeld = 0;   // of the merged and dropped, events held by quiet hours
  int64_t noFollower = 0;  // events that fell due for a user following no OA
  int64_t users = 0;       // users decided
  int64_t failed = 0;      // users whose decision threw: put off (Notices::kFailedRetryMs)

  NoticeCounts& operator+=(const NoticeCounts& other);
};

// What a decision for one user would do now, without doing it (`wxbridge notice --dry-run`).
struct NoticePreview {
  NoticeUser user;
  NoticePrefs prefs;
  NoticePlan plan;
  std::optional<TemplateMessage> message;  // the message it would send; nullopt none
  bool follows = false;
};

class NoticeEngine {
 public:
  static constexpr int kBatchUsers = 100;  // users one claim decides
  static constexpr int64_t kIdleWaitMs = 1'000;
  static constexpr int64_t kBusyWaitMs = 20;  // users due but claimed by another instance

  // `timezone` is the configured default zone of users without their own. `onDecided` is
  // called with the counts of each claim that decided users (metrics, waking the sender). Throws
  // std::invalid_argument when the realtime templates name no configured template.
  NoticeEngine(Notices& notices, const NotifySettings& settings, const std::string& timezone,
               const Clock& clock, std::function<void(const NoticeCounts&)> onDecided = {});
  ~NoticeEngine();
  NoticeEngine(const NoticeEngine&) = delete;
  NoticeEngine& operator=(const NoticeEngine&) = delete;

  // Decides every user due at the clock's now, in claims of kBatchUsers. Returns the counts.
  NoticeCounts runDue();
  // The decision for `user` at nowMs: pure, the store writes it.
  NoticeDecision decide(const NoticeUser& user, int64_t nowMs, NoticeCounts* counts) const;
  NoticePreview preview(const std::string& unionid);

  // The deciding thread of `serve`; a second start() does nothing.
  void start();
  void stop();
  // A real-time event arrived: decide without waiting for the next tick.
  void wake();

 private:
  int64_t loopPass();
  NoticePrefs prefsOf(const NoticeUser& user) const;
  std::optional<NewMessage> messageFor(const NoticeUser& user, const NoticePrefs& prefs,
                                       const Notice& notice) const;

  Notices& notices_;
  const NotifySettings& settings_;
  const TemplateSpec& single_;
  const TemplateSpec& many_;
  PreferenceDefaults defaults_;
  RealtimeRules rules_;
  const Clock& clock_;
  std::function<void(const NoticeCounts&)> onDecided_;

  TimedLoop loop_{[this] { return loopPass(); }};
};

}  // namespace wxb
