// The JSON shape of an account, shared by `wxbridge lookup` and GET /v1/accounts/{unionid}:
// {"unionid","oa_openid","subscribed","mp_openid","synced_at"} with synced_at as ISO 8601 UTC
// (null when never synced). A pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "store/accounts/accounts.h"

namespace wxb {

nlohmann::json accountJson(const Account& account);

}  // namespace wxb
