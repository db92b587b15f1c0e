#include "bridge/routes/account_json.h"

#include "cron/iso_time.h"

namespace wxb {

namespace {

nlohmann::json orNull(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

}  // namespace

nlohmann::json accountJson(const Account& a) {
  return {
      {"unionid", orNull(a.unionid)},
      {"oa_openid", orNull(a.oaOpenid)},
      {"subscribed", a.subscribed},
      {"mp_openid", orNull(a.mpOpenid)},
      {"synced_at", a.syncedAtMs ? nlohmann::json(formatIsoUtc(a.syncedAtMs)) : nlohmann::json()}};
}

}  // namespace wxb
