// ChannelBudgets: what the outbox sender knows about each channel's daily budget and 45009 pause,
// shared by every instance through the store (send_budgets, send_pauses) and cached here. The
// sender's housekeeping thread calls refresh() once a second: it adds this process's sends since
// the last refresh to the store's count for the China day and reads back the total of every
// instance, so the budget is shared with at most a second's lag. Workers ask closedFor() when
// they choose a channel (notify/channels.h) and count() each send that reached the platform.
// Pause keys in send_pauses are the channel names (oa_template, mp_subscribe, oa_subscribe).
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
  // Pauses `channel` until untilMs in the store and here; an earlier pause never shortens a
  // later one. Returns true when this moved the pause later.
  bool pause(Channel channel, int64_t untilMs, const std::string& reason, int64_t nowMs);
  // Flushes this process's counts and reads the shared counts and pauses. Throws StoreError.
  void refresh(int64_t nowMs);

 private:
  Notifications& notifications_;
  const DailyBudgets dailyBudget_;
  mutable std::mutex mutex_;              // guards the members below
  std::string day_;                       // the China day of usedToday_
  std::map<Channel, int64_t> usedToday_;  // every instance's, as of the last refresh + ours since
  std::map<Channel, int64_t> unflushed_;  // ours since the last refresh
  std::map<Channel, int64_t> pausedUntil_;
};

}  // namespace wxb
