// The OA's followers: who follows, in which order, with which unionid.
//
// The seeded part is generated from (--seed, index): 28-character openids and unionids of
// [A-Za-z0-9_-] and a subscribe_time, computed on demand rather than stored, so a million
// followers cost a few bytes each. An open-addressing table maps an openid to its position.
// Followers added later (POST /__fake/followers, subscribe pushes) are stored and appended.
// Removing one leaves a tombstone in place, so a user/get cursor that points at it still
// resumes correctly; re-adding reactivates it in place. user/get order is position order.
// Thread-safety: all members are thread-safe (a shared_mutex; readers run in parallel).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fake_wechat/fake_clock.h"

namespace wxb::fake {

// 1 to 64 characters of [A-Za-z0-9_-]: the shape of openids and unionids the platform accepts.
bool isWellFormedId(std::string_view id);

struct FollowerInfo {
  std::string openid;
  std::string unionid;  // empty when the follower has none
  int64_t subscribeTime = 0;
  bool subscribed = false;
};

class Population {
 public:
  Population(uint32_t seededCount, double unionidRatio, uint64_t seed, const FakeClock& clock);

  struct Page {
    std::vector<std::string> openids;
    int64_t total = 0;  // current followers
  };
  // Up to `limit` current followers after `afterOpenid` (from the start when empty).
  // nullopt when `afterOpenid` was never a follower.
  std::optional<Page> page(std::string_view afterOpenid, std::size_t limit) const;

  // The openid's state; nullopt when it was never a follower.
  std::optional<FollowerInfo> find(std::string_view openid) const;

  // Makes `openid` a follower (unionid "" keeps the known one). Returns true if it was not one.
  bool add(std::string_view openid, std::string_view unionid);

  // Returns true if `openid` was a follower.
  bool remove(std::string_view openid);

  int64_t total() const;

  // Calls `fn` for every current follower in user/get order. The lock is not held during `fn`.
  void forEachFollower(const std::function<void(const FollowerInfo&)>& fn) const;

 private:
  struct IdBuffer {
    char data[64];
    std::size_t size = 0;
    std::string_view view() const { return {data, size}; }
  };
  struct Stored {
    std::string openid;
    std::string unionid;
    int64_t subscribeTime = 0;
  };
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;

  void openidAt(uint32_t pos, IdBuffer& out) const;
  FollowerInfo infoAt(uint32_t pos) const;
  std::size_t slotFor(std::string_view openid) const;  // its slot, or the empty one to use
  void insertIndex(uint32_t pos, std::string_view openid);
  void rebuildIndex(std::size_t slots);
  bool isActive(uint32_t pos) const { return flags_[pos] & kActive; }

  static constexpr uint8_t kActive = 1;
  static constexpr uint8_t kSeededUnionid = 2;

  const FakeClock& clock_;
  const uint64_t seed_;
  const uint32_t seededCount_;
  mutable std::shared_mutex mutex_;
  std::vector<uint8_t> flags_;                       // one per position
  std::vector<Stored> added_;                        // positions >= seededCount_
  std::unordered_map<uint32_t, Stored> overridden_;  // seeded positions re-added later
  std::vector<uint32_t> slots_;                      // openid hash table of positions
  int64_t active_ = 0;
};

}  // namespace wxb::fake
