#include "fake_wechat/deliveries.h"

#include <algorithm>
#include <vector>

namespace wxb::fake {
namespace {
constexpr std::size_t kWriteBlock = 4096;
}

void Deliveries::forgetExpired(int64_t now) {
  while (!seenOrder_.empty() && seenOrder_.front().second + kDedupWindow <= now) {
    auto found = seen_.find(seenOrder_.front().first);
    if (found != seen_.end() && found->second.at == seenOrder_.front().second) seen_.erase(found);
    seenOrder_.pop_front();
  }
}

DeliveryOutcome Deliveries::record(nlohmann::json entry, const std::string& dedupKey) {
  std::lock_guard lock(mutex_);
  const int64_t nowMs = clock_.nowMs();
  const int64_t now = nowMs / 1000;
  forgetExpired(now);
  if (!dedupKey.empty()) {
    auto found = seen_.find(dedupKey);
    if (found != seen_.end() && found->second.at + kDedupWindow > now) {
      return DeliveryOutcome{found->second.msgid, true};
    }
  }
  int64_t msgid = nextMsgid_++;
  entry["msgid"] = msgid;
  entry["at"] = now;
  entry["at_ms"] = nowMs;  // for latency figures (bench/realtime.sh)
  log_.push_back(Line{msgid, entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  if (log_.size() > kMaxKept) log_.pop_front();
  if (!dedupKey.empty()) {
    seen_[dedupKey] = Seen{msgid, now};
    seenOrder_.emplace_back(dedupKey, now);
  }
  return DeliveryOutcome{msgid, false};
}

void Deliveries::writeLines(int64_t afterMsgid, std::ostream& out) const {
  std::vector<std::string> block;
  int64_t cursor = afterMsgid;
  for (;;) {
    block.clear();
    {
      std::lock_guard lock(mutex_);
      auto it =
          std::upper_bound(log_.begin(), log_.end(), cursor,
                           [](int64_t value, const Line& line) { return value < line.msgid; });
      for (; it != log_.end() && block.size() < kWriteBlock; ++it) {
        block.push_back(it->text);
        cursor = it->msgid;
      }
    }
    if (block.empty()) return;
    for (const auto& line : block) out << line << '\n';
  }
}

std::size_t Deliveries::size() const {
  std::lock_guard lock(mutex_);
  return log_.size();
}

void Deliveries::clear() {
  std::lock_guard lock(mutex_);
  log_.clear();
}

}  // namespace wxb::fake
