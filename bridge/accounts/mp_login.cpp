#include "bridge/accounts/mp_login.h"

namespace wxb {

MpLogin::MpLogin(WechatClient& platform, Accounts& accounts)
    : platform_(platform), accounts_(accounts) {}

std::expected<MpLoginResult, WechatError> MpLogin::login(const std::string& code) {
  auto session = platform_.jscode2session(code);
  if (!session) return std::unexpected(session.error());
  MpLoginResult result{session->openid, session->unionid.value_or(""), std::nullopt};
  accounts_.recordMpUser(result.mpOpenid, result.unionid);
  if (!result.unionid.empty()) result.account = accounts_.findByUnionid(result.unionid);
  return result;
}

}  // namespace wxb
