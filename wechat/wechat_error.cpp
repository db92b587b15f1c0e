// WechatError's text forms and the App name helpers. describe() is what operators read in logs
// and what callers put into error responses, so it names the API briefly and never carries
// more than the platform's own errmsg (which holds no secret).
#include "wechat/wechat_error.h"

#include <string_view>

namespace wxb {

namespace {

// "/cgi-bin/message/template/send" -> "message/template/send": the prefix is shared by almost
// every API and only makes log lines longer.
std::string shortApiName(const std::string& api) {
  constexpr std::string_view kCgiBin = "/cgi-bin/";
  std::string_view name = api;
  if (name.starts_with(kCgiBin)) {
    name.remove_prefix(kCgiBin.size());
  } else if (name.starts_with('/')) {
    name.remove_prefix(1);
  }
  return name.empty() ? std::string("platform") : std::string(name);
}

}  // namespace

const char* appName(App app) { return app == App::Oa ? "oa" : "mp"; }

bool parseApp(const std::string& name, App& out) {
  if (name == "oa") {
    out = App::Oa;
    return true;
  }
  if (name == "mp") {
    out = App::Mp;
    return true;
  }
  return false;
}

const char* kindName(WechatError::Kind kind) {
  using Kind = WechatError::Kind;
  switch (kind) {
    case Kind::Transport:
      return "transport";
    case Kind::Http:
      return "http";
    case Kind::Busy:
      return "busy";
    case Kind::TokenInvalid:
      return "token_invalid";
    case Kind::Quota:
      return "quota";
    case Kind::Frequency:
      return "frequency";
    case Kind::IpWhitelist:
      return "ip_whitelist";
    case Kind::BadResponse:
      return "bad_response";
    case Kind::Permanent:
      return "permanent";
  }
  return "unknown";
}

std::string WechatError::describe() const {
  std::string line = shortApiName(api) + ": ";
  if (errcode != 0) {
    line += "errcode " + std::to_string(errcode);
  } else if (kind == Kind::Http && httpStatus != 0) {
    line += "HTTP " + std::to_string(httpStatus);
  } else {
    line += kindName(kind);
  }
  if (!message.empty()) line += " (" + message + ")";
  return line;
}

bool WechatError::transient() const {
  switch (kind) {
    case Kind::Transport:
    case Kind::Busy:
    case Kind::Frequency:
      return true;
    case Kind::Http:
      // A status we never saw (0) is treated like a server-side failure.
      return httpStatus == 0 || httpStatus >= 500 || httpStatus == 429;
    default:
      return false;
  }
}

}  // namespace wxb
