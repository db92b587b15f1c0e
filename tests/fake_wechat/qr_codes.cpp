#include "fake_wechat/qr_codes.h"

#include "fake_wechat/rng.h"

namespace wxb::fake {

std::string QrCodes::create(const std::string& scene, int64_t expireSeconds) {
  // Real tickets are about 96 characters starting "gQ"; their content means nothing to callers.
  std::string ticket = "gQ" + randomString(94);
  std::lock_guard lock(mutex_);
  int64_t now = clock_.now();
  std::erase_if(codes_, [now](const auto& entry) { return entry.second.expiresAt <= now; });
  codes_[ticket] = QrCodeEntry{scene, now + expireSeconds};
  return ticket;
}

std::optional<QrCodeEntry> QrCodes::find(const std::string& ticket) const {
  std::lock_guard lock(mutex_);
  auto it = codes_.find(ticket);
  if (it == codes_.end() || it->second.expiresAt <= clock_.now()) return std::nullopt;
  return it->second;
}

}  // namespace wxb::fake
