#include "bridge/routes/responses.h"

#include "wechat/wechat_types.h"

namespace wxb {

ApiResponse invalidField(const std::string& field, const std::string& problem) {
  return apiError(400, "invalid_field", field + ": " + problem);
}

ApiResponse invalidId(const std::string& field) {
  return invalidField(field, std::string("must be ") + kWechatIdRule);
}

ApiResponse upstreamError(const WechatError& error) {
  using Kind = WechatError::Kind;
  if (error.kind == Kind::Quota || error.kind == Kind::Frequency) {
    return apiError(429, "upstream_rate_limited", error.describe());
  }
  if (error.kind == Kind::IpWhitelist) {
    return apiError(502, "upstream_ip_not_whitelisted",
                    error.describe() + "; add this server's egress IP to the platform whitelist");
  }
  return apiError(502, "upstream_error", error.describe());
}

ApiResponse appNotConfigured(const std::string& key) {
  return apiError(404, "app_not_configured", key + " is not configured");
}

}  // namespace wxb
