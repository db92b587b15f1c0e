// TokenSource: where platform calls get their access_token. The access_token service
// (wechat/token_service.h) implements it on top of the store; the API client only asks and
// reports. Implementations are thread-safe.
#pragma once

#include <string>

#include "wechat/wechat_error.h"

namespace wxb {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A token believed valid for `app`, fetching or waiting for a refresh when needed.
  virtual WechatResult<std::string> accessToken(App app) = 0;
  // The platform rejected `token` with 40001/40014/42001. Expires it only if it is still the
  // current token (compare-and-set), so a late report never kills a newer token.
  virtual void tokenRejected(App app, const std::string& token) = 0;
};

}  // namespace wxb
