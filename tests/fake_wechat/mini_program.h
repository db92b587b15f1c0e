// The mini program's side of the platform: login codes (jscode2session). Its subscribe-message
// grants are kept in Platform::mpGrants (subscribe_grants.h).
//
// Tests mint codes through POST /__fake/codes, naming the MP user and, to tie them to an OA
// follower, the shared unionid. A code is single use (40163 on reuse), valid 5 minutes of the
// fake clock (40029 after, and for an unknown code); one minted as risky answers 40226.
// Thread-safety: all members are thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>

#include "fake_wechat/fake_clock.h"

namespace wxb::fake {

struct MpSession {
  std::string mpOpenid;
  std::string unionid;  // empty when the user has none
  std::string sessionKey;
};

struct MintedCode {
  std::string code;
  std::string mpOpenid;
  std::string unionid;
  std::string sessionKey;  // what jscode2session will answer, so a test can look for it
};

class MiniProgram {
 public:
  static constexpr int64_t kCodeLifetime = 300;

  MiniProgram(uint64_t seed, const FakeClock& clock) : seed_(seed), clock_(clock) {}

  // Mints a login code. An empty `mpOpenid` is derived from the unionid (the same unionid always
  // gives the same MP openid) or, without one, made up.
  MintedCode mintCode(std::string mpOpenid, std::string unionid, bool risky);

  // The session for `code`, or the errcode: 40029, 40163 or 40226.
  std::variant<MpSession, int> exchange(const std::string& code);

 private:
  struct Code {
    MpSession session;
    int64_t mintedAt = 0;
    bool used = false;
    bool risky = false;
  };
  void prune(int64_t now);  // requires mutex_

  const uint64_t seed_;
  const FakeClock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Code> codes_;
  std::size_t pruneAt_ = 4096;
};

}  // namespace wxb::fake
