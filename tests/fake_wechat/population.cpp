#include "fake_wechat/population.h"

#include <algorithm>
#include <bit>
#include <mutex>

#include "fake_wechat/rng.h"

namespace wxb::fake {
namespace {

constexpr std::size_t kIdLength = 28;
constexpr uint64_t kOpenidStream = 0;
constexpr uint64_t kUnionidStream = 1;
constexpr uint64_t kHasUnionidStream = 2;
constexpr uint64_t kSubscribeTimeStream = 3;
constexpr int64_t kEarliestSubscribe = 1'500'000'000;
constexpr std::size_t kBlock = 4096;

std::size_t hashId(std::string_view id) { return std::hash<std::string_view>{}(id); }

std::size_t tableSizeFor(std::size_t entries) {
  return std::bit_ceil(std::max<std::size_t>(1024, entries * 2 + 2));
}

std::string seededId(uint64_t seed, uint32_t pos, uint64_t stream) {
  std::string id(kIdLength, 'o');
  writeSeededId(seed, pos, stream, id.data() + 1, kIdLength - 1);
  return id;
}

}  // namespace

bool isWellFormedId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

Population::Population(uint32_t seededCount, double unionidRatio, uint64_t seed,
                       const FakeClock& clock)
    : clock_(clock), seed_(seed), seededCount_(seededCount), flags_(seededCount) {
  for (uint32_t pos = 0; pos < seededCount; ++pos) {
    bool hasUnionid = unitInterval(mix(seed, pos, kHasUnionidStream)) < unionidRatio;
    flags_[pos] = kActive | (hasUnionid ? kSeededUnionid : 0);
  }
  active_ = seededCount;
  rebuildIndex(tableSizeFor(seededCount));
}

void Population::openidAt(uint32_t pos, IdBuffer& out) const {
  if (pos < seededCount_) {
    out.data[0] = 'o';
    writeSeededId(seed_, pos, kOpenidStream, out.data + 1, kIdLength - 1);
    out.size = kIdLength;
    return;
  }
  const std::string& id = added_[pos - seededCount_].openid;
  std::copy(id.begin(), id.end(), out.data);
  out.size = id.size();
}

FollowerInfo Population::infoAt(uint32_t pos) const {
  FollowerInfo info;
  info.subscribed = isActive(pos);
  if (pos >= seededCount_) {
    const Stored& stored = added_[pos - seededCount_];
    info.openid = stored.openid;
    info.unionid = stored.unionid;
    info.subscribeTime = stored.subscribeTime;
    return info;
  }
  info.openid = seededId(seed_, pos, kOpenidStream);
  if (auto over = overridden_.find(pos); over != overridden_.end()) {
    info.unionid = over->second.unionid;
    info.subscribeTime = over->second.subscribeTime;
    return info;
  }
  if (flags_[pos] & kSeededUnionid) info.unionid = seededId(seed_, pos, kUnionidStream);
  info.subscribeTime = kEarliestSubscribe +
                       static_cast<int64_t>(mix(seed_, pos, kSubscribeTimeStream) % 200'000'000);
  return info;
}

std::size_t Population::slotFor(std::string_view openid) const {
  const std::size_t mask = slots_.size() - 1;
  IdBuffer buffer;
  for (std::size_t slot = hashId(openid) & mask;; slot = (slot + 1) & mask) {
    if (slots_[slot] == kEmpty) return slot;
    openidAt(slots_[slot], buffer);
    if (buffer.view() == openid) return slot;
  }
}

void Population::insertIndex(uint32_t pos, std::string_view openid) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = hashId(openid) & mask;
  while (slots_[slot] != kEmpty) slot = (slot + 1) & mask;
  slots_[slot] = pos;
}

void Population::rebuildIndex(std::size_t slots) {
  slots_.assign(slots, kEmpty);
  IdBuffer buffer;
  for (uint32_t pos = 0; pos < flags_.size(); ++pos) {
    openidAt(pos, buffer);
    insertIndex(pos, buffer.view());
  }
}

std::optional<Population::Page> Population::page(std::string_view afterOpenid,
                                                 std::size_t limit) const {
  std::shared_lock lock(mutex_);
  uint32_t pos = 0;
  if (!afterOpenid.empty()) {
    uint32_t found = slots_[slotFor(afterOpenid)];
    if (found == kEmpty) return std::nullopt;
    pos = found + 1;
  }
  Page page;
  page.total = active_;
  IdBuffer buffer;
  for (; pos < flags_.size() && page.openids.size() < limit; ++pos) {
    if (!isActive(pos)) continue;
    openidAt(pos, buffer);
    page.openids.emplace_back(buffer.view());
  }
  return page;
}

std::optional<FollowerInfo> Population::find(std::string_view openid) const {
  std::shared_lock lock(mutex_);
  uint32_t pos = slots_[slotFor(openid)];
  if (pos == kEmpty) return std::nullopt;
  return infoAt(pos);
}

bool Population::add(std::string_view openid, std::string_view unionid) {
  std::unique_lock lock(mutex_);
  std::size_t slot = slotFor(openid);
  uint32_t pos = slots_[slot];
  if (pos == kEmpty) {
    pos = static_cast<uint32_t>(flags_.size());
    added_.push_back(Stored{std::string(openid), std::string(unionid), clock_.now()});
    flags_.push_back(kActive);
    slots_[slot] = pos;
    ++active_;
    if (flags_.size() * 2 > slots_.size()) rebuildIndex(tableSizeFor(flags_.size()));
    return true;
  }
  bool wasActive = isActive(pos);
  FollowerInfo current = infoAt(pos);
  Stored updated{current.openid, unionid.empty() ? current.unionid : std::string(unionid),
                 wasActive ? current.subscribeTime : clock_.now()};
  if (pos >= seededCount_) {
    added_[pos - seededCount_] = std::move(updated);
  } else {
    overridden_[pos] = std::move(updated);
  }
  flags_[pos] |= kActive;
  if (!wasActive) ++active_;
  return !wasActive;
}

bool Population::remove(std::string_view openid) {
  std::unique_lock lock(mutex_);
  uint32_t pos = slots_[slotFor(openid)];
  if (pos == kEmpty || !isActive(pos)) return false;
  flags_[pos] &= static_cast<uint8_t>(~kActive);
  --active_;
  return true;
}

int64_t Population::total() const {
  std::shared_lock lock(mutex_);
  return active_;
}

void Population::forEachFollower(const std::function<void(const FollowerInfo&)>& fn) const {
  std::vector<FollowerInfo> block;
  for (uint32_t start = 0;; start += kBlock) {
    block.clear();
    {
      std::shared_lock lock(mutex_);
      if (start >= flags_.size()) return;
      uint32_t end = static_cast<uint32_t>(std::min<std::size_t>(flags_.size(), start + kBlock));
      for (uint32_t pos = start; pos < end; ++pos) {
        if (isActive(pos)) block.push_back(infoAt(pos));
      }
    }
    for (const auto& info : block) fn(info);
  }
}

}  // namespace wxb::fake
