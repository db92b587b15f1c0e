// The OA's temporary parametric QR codes (WECHAT.md "Parametric QR codes"): what
// qrcode/create issued, so showqrcode can serve a ticket's image while it lives and
// POST /__fake/scan can push the scene of a scanned ticket. Tickets are unguessable strings of
// [A-Za-z0-9_-]. Thread-safety: all members are thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "fake_wechat/fake_clock.h"

namespace wxb::fake {

struct QrCodeEntry {
  std::string scene;
  int64_t expiresAt = 0;  // Unix seconds
};

class QrCodes {
 public:
  explicit QrCodes(const FakeClock& clock) : clock_(clock) {}

  // Registers a code for `scene` living `expireSeconds`; returns its ticket.
  std::string create(const std::string& scene, int64_t expireSeconds);

  // The live code of `ticket`, or nullopt when unknown or expired.
  std::optional<QrCodeEntry> find(const std::string& ticket) const;

 private:
  const FakeClock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, QrCodeEntry> codes_;
};

}  // namespace wxb::fake
