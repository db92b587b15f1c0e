// Bind codes (issue #13): binding an OA follower to a mini-program user without a unionid, for
// OAs not bound to an Open Platform account. POST /v1/bind-codes {"mp_openid"} calls
// issueBindCode(): a temporary parametric QR code (cgi-bin/qrcode/create, QR_STR_SCENE) whose
// scene is a new random bind scene, stored with its expiry; when the user scans it (subscribe
// with qrscene_ or SCAN) the PushRecorder's transaction binds them (CallbackStore::record).
// Codes are single use and expire with the QR code. Thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "store/accounts/accounts.h"
#include "store/callback/callback_store.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct IssuedBindCode {
  std::string scene;
  std::string ticket;
  std::string imageUrl;  // showqrcode?ticket=...: the image to show the user
  std::string url;       // the URL the image encodes
  int64_t expiresAtMs = 0;
};

// Records the MP user (if new), creates the QR code living ttlSeconds (1-2,592,000) and stores
// the code; imageBase is the showqrcode host (https://mp.weixin.qq.com, or fake-wechat's).
// Returns the platform's error when the QR code could not be created (nothing is stored).
// Throws StoreError.
std::expected<IssuedBindCode, WechatError> issueBindCode(CallbackStore& store, Accounts& accounts,
                                                         WechatClient& platform,
                                                         const std::string& mpOpenid,
                                                         int64_t ttlSeconds, int64_t nowMs,
                                                         const std::string& imageBase);

}  // namespace wxb
