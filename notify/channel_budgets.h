// ChannelBudgets: what the outbox sender knows about each channel's daily budget and 45009 pause,
// shared by every instance through the store (send_budgets, send_pauses) and cached here. The
// sender's housekeeping thread calls refresh() once a second: it adds this process's sends since
// the last refresh to the store's count for the China day and reads back the total of every
// instance, so the budget is shared with at most a second's lag. Workers ask closedFor() when
// they choose a channel (notify/channels.h) and count() each send that reached the platform.
// Pause keys in send_pauses are the channel names (oa_template, mp_subscribe, oa_subscribe).
//
// The store's send_pauses rows are the truth about pauses: an operator who deletes a row lifts
// that pause for every instance at their next refresh (docs/notify.md "45009"). The one pause
// kept in memory beyond the store is one this process set that no refresh has read back yet -
// its store write failed (refresh() writes it again) or came after the refresh's read - so a
// failed write never loses a pause.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "notify/channels.h"
#include "notify/notify_settings.h"
#include "notify/send_priority.h"
#include "store/notifications/notifications.h"

namespace wxb {

class ChannelBudgets {
 public:
  // `dailyBudget`: sends a China day per channel, indexed like kChannels.
  ChannelBudgets(Notifications& notifications, const DailyBudgets& dailyBudget);

  // The channels closed for `sendClass` at nowMs (Unix ms), each with when it opens again
  // (closedUntilMs() of notify/send_priority.h over the cached counts and pauses).
  std::map<Channel, int64_t> closedFor(SendClass sendClass, int64_t nowMs) const;
  // One send on `channel` that reached the platform (it counts against the quota).
  void count(Channel channel);
  // Pauses `channel` until untilMs (Unix ms) here, then in the store; an earlier pause never
  // shortens a later one. Returns true when this moved the pause later. Throws StoreError when
  // the store write failed: the pause holds here all the same, and refresh() writes it.
  bool pause(Channel channel, int64_t untilMs, const std::string& reason, int64_t nowMs);
  // Flushes this process's counts and the pauses whose write failed, then reads the shared
  // counts and pauses (a pause whose row is gone is lifted). Throws StoreError.
  void refresh(int64_t nowMs);

 private:
  Notifications& notifications_;
  const DailyBudgets dailyBudget_;
  mutable std::mutex mutex_;              // guards the members below
  std::string day_;                       // the China day of usedToday_
  std::map<Channel, int64_t> usedToday_;  // every instance's, as of the last refresh + ours since
  std::map<Channel, int64_t> unflushed_;  // ours since the last refresh
  std::map<Channel, int64_t> pausedUntil_;
  // Pauses set here that no refresh has read back from the store yet.
  struct Unconfirmed {
    int64_t untilMs = 0;
    std::string reason;
    bool stored = false;  // its write succeeded
  };
  std::map<Channel, Unconfirmed> unconfirmed_;

  std::map<Channel, int64_t> storePauses(int64_t nowMs);
  std::map<Channel, int64_t> readPauses(int64_t nowMs);
};

}  // namespace wxb
