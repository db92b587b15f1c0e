// The answers route handlers share: 400 naming a field, a platform failure as 429/502, and
// 404 app_not_configured for a feature this instance has not configured. Used by every route
// group in bridge/routes/; pure functions, thread-safe.
#pragma once

#include <string>

#include "bridge/http/api_types.h"
#include "wechat/wechat_error.h"

namespace wxb {

// 400 naming `field`, the one shape of a validation failure.
ApiResponse invalidField(const std::string& field, const std::string& problem);
// 400 for a `field` that is not an openid or unionid (isValidWechatId).
ApiResponse invalidId(const std::string& field);

// A platform failure as an HTTP answer: 429 for quota/frequency, 502 otherwise, with the
// errcode in the message (never a token or secret).
ApiResponse upstreamError(const WechatError& error);

// 404 app_not_configured: `key` (e.g. "wechat.mp.appid") is not set.
ApiResponse appNotConfigured(const std::string& key);

}  // namespace wxb
