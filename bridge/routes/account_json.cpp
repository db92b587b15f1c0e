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

bool isValidWechatId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace wxb
