#include "bridge/callback/bind_codes.h"

#include "wechat/callback/push_effects.h"

namespace wxb {

std::expected<IssuedBindCode, WechatError> issueBindCode(CallbackStore& store, Accounts& accounts,
                                                         WechatClient& platform,
                                                         const std::string& mpOpenid,
                                                         int64_t ttlSeconds, int64_t nowMs,
                                                         const std::string& imageBase) {
  IssuedBindCode code;
  code.scene = newBindScene();
  auto qr = platform.createQrCode(code.scene, ttlSeconds);
  if (!qr) return std::unexpected(qr.error());
  code.ticket = qr->ticket;
  code.imageUrl = showQrCodeUrl(qr->ticket, imageBase);
  code.url = qr->url;
  // The platform may grant less than asked: the code lives as long as the QR code.
  code.expiresAtMs =
      nowMs + 1000 * std::min(ttlSeconds, qr->expireSeconds > 0 ? qr->expireSeconds : ttlSeconds);
  accounts.recordMpUser(mpOpenid, "");
  store.addBindCode(BindCode{code.scene, mpOpenid, code.expiresAtMs, 0, ""}, nowMs);
  return code;
}

}  // namespace wxb
