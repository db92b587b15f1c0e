// Send classes and channel budgets: which messages go first when a channel's daily quota runs
// short. Every outbox message has a class, highest first:
//   direct    POST /v1/messages (a user action waits on it)
//   reminder  a user-set reminder (/v1/schedules): due at a time the user chose
//   realtime  a throttled real-time notice
//   digest    the daily unread digest (tomorrow's brings the same news)
// The enqueuer sets the class (templates.NAME.priority overrides it per template). A channel
// has a daily budget (notify.budget.CHANNEL, by default the platform's quota for its API) that
// counts sends per China day, the platform's quota day. Each class leaves a share of the budget
// to the classes above it: while less than that share is left, the class waits for the next
// day (or, with "auto", takes another channel that can reach the user). A 45009 pause closes
// the channel for every class; when it ends the classes resume one after another, highest
// first, a minute apart, so that a quota still spent (the platform's midnight a little later
// than ours) stops the higher classes' first sends instead of a burst of digests.
//
// Called by the outbox sender when it chooses a channel (notify/channels.h) and by the store's
// claim, which takes higher classes first. Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wxb {

enum class SendClass { Direct = 0, Reminder = 1, Realtime = 2, Digest = 3 };

// "direct", "reminder", "realtime", "digest": configured, stored and printed.
std::string_view sendClassName(SendClass sendClass);
std::optional<SendClass> parseSendClass(std::string_view name);

// The share of a channel's daily budget that `sendClass` leaves to the classes above it:
// direct 0, reminder 2%, realtime 5%, digest 10%.
double budgetReserve(SendClass sendClass);

// How long after a pause ends each class waits more than the one above it.
inline constexpr int64_t kResumeStaggerMs = 60'000;

// One channel's budget as the store counts it.
struct ChannelBudget {
  int64_t dailyBudget = 0;    // sends a China day; 0 or less: none may be sent
  int64_t usedToday = 0;      // sends counted today (China day)
  int64_t pausedUntilMs = 0;  // end of a 45009 pause in force; 0 for none
};

// nullopt when `sendClass` may send on the channel at nowMs (Unix ms); otherwise when it may
// again: the pause's end plus its stagger, or the next China midnight when the budget it may
// use today is spent.
std::optional<int64_t> closedUntilMs(SendClass sendClass, const ChannelBudget& budget,
                                     int64_t nowMs);

}  // namespace wxb
