#include "notify/channel_budgets.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <utility>

#include "store/store_error.h"
#include "wechat/china_day.h"

namespace wxb {

namespace {

// A pause that ended is still read from the store this long, so the lower classes resume after
// the higher (notify/send_priority.h).
constexpr int64_t kPauseMemoryMs = 3 * kResumeStaggerMs;

Poco::Logger& logger() { return Poco::Logger::get("wxb.notify"); }

}  // namespace

ChannelBudgets::ChannelBudgets(Notifications& notifications, const DailyBudgets& dailyBudget)
    : notifications_(notifications), dailyBudget_(dailyBudget) {}

std::map<Channel, int64_t> ChannelBudgets::closedFor(SendClass sendClass, int64_t nowMs) const {
  std::lock_guard lock(mutex_);
  std::map<Channel, int64_t> closed;
  for (Channel channel : kChannels) {
    auto used = usedToday_.find(channel);
    auto paused = pausedUntil_.find(channel);
    ChannelBudget b{dailyBudget_[static_cast<size_t>(channel)],
                    used == usedToday_.end() ? 0 : used->second,
                    paused == pausedUntil_.end() ? 0 : paused->second};
    if (auto until = closedUntilMs(sendClass, b, nowMs)) closed[channel] = *until;
  }
  return closed;
}

void ChannelBudgets::count(Channel channel) {
  std::lock_guard lock(mutex_);
  ++usedToday_[channel];
  ++unflushed_[channel];
}

bool ChannelBudgets::pause(Channel channel, int64_t untilMs, const std::string& reason,
                           int64_t nowMs) {
  bool later = false;
  {
    std::lock_guard lock(mutex_);
    int64_t& until = pausedUntil_[channel];
    later = until < untilMs;
    if (later) until = untilMs;
    Unconfirmed& mine = unconfirmed_[channel];
    if (mine.untilMs < untilMs) mine = Unconfirmed{untilMs, reason, false};
  }
  notifications_.pauseSends(std::string(channelName(channel)), untilMs, reason, nowMs);
  std::lock_guard lock(mutex_);
  if (auto mine = unconfirmed_.find(channel); mine != unconfirmed_.end()) {
    if (mine->second.untilMs == untilMs) mine->second.stored = true;
  }
  return later;
}

// Writes the pauses set here whose write failed, then returns those set here that the store has
// now (channel -> untilMs). A write that fails again is logged and stays unconfirmed (it holds
// here), so that it never keeps the refresh from reading the shared counts and pauses.
std::map<Channel, int64_t> ChannelBudgets::storePauses(int64_t nowMs) {
  std::map<Channel, Unconfirmed> toStore;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [channel, pause] : unconfirmed_) {
      if (!pause.stored) toStore[channel] = pause;
    }
  }
  for (const auto& [channel, pause] : toStore) {
    try {
      notifications_.pauseSends(std::string(channelName(channel)), pause.untilMs, pause.reason,
                                nowMs);
    } catch (const StoreError& e) {
      logger().warning("%s pause: storing it failed again (%s); it holds here",
                       std::string(channelName(channel)), std::string(e.what()));
      continue;
    }
    std::lock_guard lock(mutex_);
    auto mine = unconfirmed_.find(channel);
    if (mine != unconfirmed_.end() && mine->second.untilMs == pause.untilMs) {
      mine->second.stored = true;
    }
  }
  std::map<Channel, int64_t> stored;
  std::lock_guard lock(mutex_);
  for (const auto& [channel, pause] : unconfirmed_) {
    if (pause.stored) stored[channel] = pause.untilMs;
  }
  return stored;
}

// The store's pauses, those that ended less than kPauseMemoryMs ago included.
std::map<Channel, int64_t> ChannelBudgets::readPauses(int64_t nowMs) {
  std::map<Channel, int64_t> paused;
  for (Channel channel : kChannels) {
    auto until =
        notifications_.sendsPausedUntil(std::string(channelName(channel)), nowMs - kPauseMemoryMs);
    if (until) paused[channel] = *until;
  }
  return paused;
}

// Sends counted in the second before a China midnight may be added to the new day.
void ChannelBudgets::refresh(int64_t nowMs) {
  std::map<std::string, int64_t> flush;
  std::string day;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [channel, n] : unflushed_) flush[std::string(channelName(channel))] = n;
    unflushed_.clear();
    day = day_.empty() ? chinaDay(nowMs) : day_;
  }
  try {
    notifications_.countSends(day, flush);
  } catch (...) {
    std::lock_guard lock(mutex_);
    for (const auto& [name, n] : flush) unflushed_[*parseChannel(name)] += n;
    throw;
  }
  const std::map<Channel, int64_t> stored = storePauses(nowMs);  // before the read below
  const std::string today = chinaDay(nowMs);
  std::map<Channel, int64_t> used;
  for (const auto& [name, n] : notifications_.sendsOn(today)) {
    if (auto channel = parseChannel(name)) used[*channel] = n;
  }
  std::map<Channel, int64_t> paused = readPauses(nowMs);
  std::lock_guard lock(mutex_);
  // A pause stored before the read is the store's now: gone from the read means deleted (lifted).
  // The others - not stored, or set during the read - still hold.
  std::erase_if(unconfirmed_, [&](const auto& mine) {
    auto read = stored.find(mine.first);
    return read != stored.end() && read->second == mine.second.untilMs;
  });
  for (const auto& [channel, mine] : unconfirmed_) {
    paused[channel] = std::max(paused[channel], mine.untilMs);
  }
  day_ = today;
  for (const auto& [channel, n] : unflushed_) used[channel] += n;  // counted while we read
  usedToday_ = std::move(used);
  pausedUntil_ = std::move(paused);
}

}  // namespace wxb
