// The JSON shape of an account, shared by `wxbridge lookup` and GET /v1/accounts/{unionid}:
// {"unionid","oa_openid","subscribed","mp_openid","synced_at"} with synced_at as ISO 8601 UTC
// (null when never synced). Also the check every openid/unionid from outside goes through.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "store/accounts/accounts.h"

namespace wxb {

nlohmann::json accountJson(const Account& account);

// openids and unionids: 1-64 characters of [A-Za-z0-9_-] (WECHAT.md).
bool isValidWechatId(std::string_view id);

// 2026-11-21T10:00:00.123Z
std::string isoUtc(int64_t unixMs);

}  // namespace wxb
