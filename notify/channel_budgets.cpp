#include "notify/channel_budgets.h"

#include <utility>

#include "wechat/china_day.h"

namespace wxb {

namespace {

// A pause that ended is remembered this long, so the lower classes still resume after the higher.
constexpr int64_t kPauseMemoryMs = 3 * kResumeStaggerMs;

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
  notifications_.pauseSends(std::string(channelName(channel)), untilMs, reason, nowMs);
  std::lock_guard lock(mutex_);
  int64_t& until = pausedUntil_[channel];
  if (until >= untilMs) return false;
  until = untilMs;
  return true;
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
  const std::string today = chinaDay(nowMs);
  std::map<Channel, int64_t> used;
  for (const auto& [name, n] : notifications_.sendsOn(today)) {
    if (auto channel = parseChannel(name)) used[*channel] = n;
  }
  std::map<Channel, int64_t> paused;
  for (Channel channel : kChannels) {
    auto until = notifications_.sendsPausedUntil(std::string(channelName(channel)), nowMs);
    if (until) paused[channel] = *until;
  }
  std::lock_guard lock(mutex_);
  for (const auto& [channel, until] : pausedUntil_) {
    if (!paused.contains(channel) && until > nowMs - kPauseMemoryMs) paused[channel] = until;
  }
  day_ = today;
  for (const auto& [channel, n] : unflushed_) used[channel] += n;  // counted while we read
  usedToday_ = std::move(used);
  pausedUntil_ = std::move(paused);
}

}  // namespace wxb
