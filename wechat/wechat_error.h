// WechatError: the one error value every platform call returns (std::expected<T, WechatError>).
// It says which API failed and how, so callers decide by kind (retry later, pause, give up)
// rather than by parsing messages. Never carries a secret: no token, appsecret or session_key.
#pragma once

#include <expected>
#include <string>

namespace wxb {

enum class App { Oa, Mp };

// "oa" / "mp": the name used in config keys, routes and the store.
const char* appName(App app);
// Parses "oa" or "mp"; nullopt-like false for anything else.
bool parseApp(const std::string& name, App& out);

struct WechatError {
  enum class Kind {
    Transport,     // connect/read failure or timeout (after bounded retries)
    Http,          // HTTP status other than 200 (after bounded retries for 5xx)
    Busy,          // errcode -1 still failing after bounded retries
    TokenInvalid,  // 40001/40014/42001 still failing after one refresh and retry
    Quota,         // 45009: daily quota reached; stop this API until it resets
    Frequency,     // 45011: per-minute frequency limit; back off
    IpWhitelist,   // 40164: our egress IP is not in the platform's IP whitelist
    BadResponse,   // malformed or unexpected response body
    Permanent,     // any other errcode: the request itself is wrong
  };
  Kind kind = Kind::Permanent;
  std::string api;  // e.g. "/cgi-bin/message/template/send"
  int errcode = 0;  // platform errcode when there was one, else 0
  std::string message;
  int httpStatus = 0;  // HTTP status for Kind::Http, else 0

  // One line for logs and error responses, the API without its /cgi-bin/ prefix:
  // "message/template/send: errcode 43004 (require subscribe)".
  std::string describe() const;
  // Worth trying again later (transport, 5xx, busy, frequency).
  bool transient() const;
};

template <typename T>
using WechatResult = std::expected<T, WechatError>;

const char* kindName(WechatError::Kind kind);

}  // namespace wxb
