#include "fake_wechat/mini_program.h"

#include <algorithm>

#include "fake_wechat/rng.h"

namespace wxb::fake {
namespace {

constexpr uint64_t kMpOpenidStream = 7;
constexpr std::size_t kCodeLength = 32;

std::string mpOpenidFor(uint64_t seed, const std::string& unionid) {
  std::string id(28, 'o');
  writeSeededId(seed, std::hash<std::string>{}(unionid), kMpOpenidStream, id.data() + 1, 27);
  return id;
}

std::string sessionKey() {
  static constexpr std::string_view kBase64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string raw = randomBytes(22);
  std::string key;
  for (unsigned char byte : raw) key += kBase64[byte & 63];
  return key + "==";
}

}  // namespace

void MiniProgram::prune(int64_t now) {
  if (codes_.size() < pruneAt_) return;
  std::erase_if(codes_, [now](const auto& entry) {
    return entry.second.mintedAt + 12 * kCodeLifetime <= now;
  });
  pruneAt_ = std::max<std::size_t>(4096, codes_.size() * 2);
}

MintedCode MiniProgram::mintCode(std::string mpOpenid, std::string unionid, bool risky) {
  if (mpOpenid.empty()) {
    mpOpenid = unionid.empty() ? "o" + randomString(27) : mpOpenidFor(seed_, unionid);
  }
  std::string code = randomString(kCodeLength);
  std::lock_guard lock(mutex_);
  int64_t now = clock_.now();
  prune(now);
  std::string key = sessionKey();
  codes_[code] = Code{MpSession{mpOpenid, unionid, key}, now, false, risky};
  return MintedCode{code, mpOpenid, unionid, key};
}

std::variant<MpSession, int> MiniProgram::exchange(const std::string& code) {
  std::lock_guard lock(mutex_);
  auto found = codes_.find(code);
  if (found == codes_.end()) return 40029;
  Code& entry = found->second;
  if (entry.used) return 40163;
  if (clock_.now() >= entry.mintedAt + kCodeLifetime) return 40029;
  entry.used = true;
  if (entry.risky) return 40226;
  return entry.session;
}

}  // namespace wxb::fake
