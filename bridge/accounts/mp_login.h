// MpLogin: a mini-program user logs in - the domain of POST /v1/mp/sessions, without HTTP. The
// code from wx.login is exchanged with the platform (jscode2session), the MP user is recorded
// and linked to their account when the platform gives a unionid, and that account comes back.
// The session_key never leaves this function. Built by the wiring code only when
// wechat.mp.appid is configured; thread-safe (the client and the store are).
#pragma once

#include <expected>
#include <optional>
#include <string>

#include "store/accounts/accounts.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct MpLoginResult {
  std::string mpOpenid;
  std::string unionid;             // "" when the platform gave none
  std::optional<Account> account;  // the account with that unionid, when there is one
};

// Platform errcodes of a login code that is not good (invalid, expired or already used).
inline constexpr int kBadLoginCode = 40029;
inline constexpr int kUsedLoginCode = 40163;
inline constexpr int kHighRiskUser = 40226;

class MpLogin {
 public:
  MpLogin(WechatClient& platform, Accounts& accounts);

  // Exchanges `code` (the caller validated its form). A refusal by the platform comes back as
  // its WechatError (kBadLoginCode, kUsedLoginCode, kHighRiskUser, or anything else the client
  // reports). Throws StoreUnavailable or StoreError.
  std::expected<MpLoginResult, WechatError> login(const std::string& code);

 private:
  WechatClient& platform_;
  Accounts& accounts_;
};

}  // namespace wxb
