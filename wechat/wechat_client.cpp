// WechatClient's call machinery: token handling, bounded retries with jittered backoff, errcode
// classification and the metrics hook. The typed calls live in api_tokens.cpp, api_users.cpp
// and api_messages.cpp.
#include "wechat/wechat_client.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "cron/stop_signal.h"
#include "wechat/backoff.h"
#include "wechat/client_call.h"
#include "wechat/lenient_json.h"
#include "wechat/response_fields.h"

namespace wxb {

namespace {

using namespace wechat_json;

constexpr size_t kMaxErrmsgBytes = 200;

Poco::Logger& logger() { return Poco::Logger::get("wxb.wechat"); }

bool isTokenErrcode(int errcode) {
  return errcode == 40001 || errcode == 40014 || errcode == 42001;
}

// errmsg ends up in log lines and JSON error bodies: one line, bounded, and cut only between
// UTF-8 characters (a cut inside one would make the JSON encoder throw later).
std::string cleanErrmsg(std::string errmsg) {
  for (char& c : errmsg) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (errmsg.size() > kMaxErrmsgBytes) {
    size_t cut = kMaxErrmsgBytes;
    while (cut > 0 && (static_cast<unsigned char>(errmsg[cut]) & 0xC0) == 0x80) --cut;
    errmsg.resize(cut);
  }
  return errmsg;
}

// 40164's errmsg reads "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist".
std::string egressIpFrom(const std::string& errmsg) {
  static const std::regex kNamed(R"(invalid ip ([0-9A-Fa-f:.]+))");
  static const std::regex kAnyIpv4(R"((\d{1,3}(?:\.\d{1,3}){3}))");
  std::smatch match;
  if (std::regex_search(errmsg, match, kNamed)) return match[1];
  if (std::regex_search(errmsg, match, kAnyIpv4)) return match[1];
  return "";
}

void logIpWhitelist(App app, const std::string& api, const std::string& errmsg) {
  const std::string ip = egressIpFrom(errmsg);
  const char* account = app == App::Oa ? "official account's" : "mini program's";
  logger().error(
      "platform refused our egress IP %s on %s (errcode 40164): add it to the %s "
      "IP whitelist in the platform console",
      ip.empty() ? std::string("(not named in errmsg: " + errmsg + ")") : ip, api,
      std::string(account));
}

void sleepFor(int64_t ms) { sleepUnlessStopped(ms); }

// The last failure of a call given up after `attempt` attempts: at maxAttempts, or because the
// calling thread's StopSignal fired.
WechatResult<nlohmann::json> gaveUp(WechatResult<nlohmann::json> result, int attempt,
                                    bool interrupted) {
  if (attempt == 1 && !interrupted) return result;
  std::string& message = result.error().message;
  message += (message.empty() ? "" : "; ") +
             (interrupted ? "not retried after " + std::to_string(attempt) +
                                " attempts: the caller is stopping"
                          : "gave up after " + std::to_string(attempt) + " attempts");
  return result;
}

HttpTransportSettings transportSettings(const WechatClientSettings& settings) {
  if (settings.connectTimeoutMs <= 0 || settings.readTimeoutMs <= 0 || settings.maxAttempts <= 0 ||
      settings.backoffBaseMs < 0 || settings.backoffMaxMs < 0) {
    throw std::invalid_argument(
        "wechat client: timeouts and maxAttempts must be positive, backoff not negative");
  }
  HttpTransportSettings transport;
  transport.baseUrl = settings.apiBase;
  transport.connectTimeoutMs = settings.connectTimeoutMs;
  transport.readTimeoutMs = settings.readTimeoutMs;
  transport.maxIdleConnections = settings.maxIdleConnections;
  transport.caLocation = settings.caLocation;
  return transport;
}

}  // namespace

WechatClient::WechatClient(WechatClientSettings settings, TokenSource& tokens, Sleeper sleep)
    : WechatClient(std::move(settings), std::move(sleep)) {
  tokens_ = &tokens;
}

WechatClient::WechatClient(WechatClientSettings settings, Sleeper sleep)
    : settings_(std::move(settings)),
      tokens_(nullptr),
      sleep_(sleep ? std::move(sleep) : Sleeper(sleepFor)),
      transport_(std::make_unique<HttpTransport>(transportSettings(settings_))) {}

WechatClient::~WechatClient() = default;

int64_t WechatClient::connectionsCreated() const { return transport_->sessionsCreated(); }

const std::string& WechatClient::appid(App app) const {
  return app == App::Oa ? settings_.oaAppid : settings_.mpAppid;
}

const std::string& WechatClient::secret(App app) const {
  return app == App::Oa ? settings_.oaSecret : settings_.mpSecret;
}

WechatResult<nlohmann::json> WechatClient::callPlain(const Call& call) {
  return callWithRetries(call, nullptr);
}

WechatResult<nlohmann::json> WechatClient::callWithToken(const Call& call) {
  if (!tokens_) {
    return std::unexpected(WechatError{WechatError::Kind::TokenInvalid, call.api, 0,
                                       "this client has no token source"});
  }
  WechatResult<std::string> token = tokens_->accessToken(call.app);
  if (!token) return std::unexpected(token.error());
  WechatResult<nlohmann::json> result = callWithRetries(call, &*token);
  if (result || result.error().kind != WechatError::Kind::TokenInvalid) return result;
  tokens_->tokenRejected(call.app, *token);  // expired for the next caller, stopping or not
  if (stopRequested()) return result;        // stopping: no refresh, no second call

  logger().information("%s access_token rejected on %s (errcode %d); refreshing, retrying once",
                       std::string(appName(call.app)), call.api, result.error().errcode);
  WechatResult<std::string> fresh = tokens_->accessToken(call.app);
  if (!fresh) return std::unexpected(fresh.error());
  result = callWithRetries(call, &*fresh);
  if (!result && result.error().kind == WechatError::Kind::TokenInvalid) {
    tokens_->tokenRejected(call.app, *fresh);
    result.error().message = "still rejected after a refresh: " + result.error().message;
  }
  return result;
}

WechatResult<nlohmann::json> WechatClient::callWithRetries(const Call& call,
                                                           const std::string* token) {
  for (int attempt = 1;; ++attempt) {
    bool retryable = false;
    WechatResult<nlohmann::json> result = attemptOnce(call, token, retryable);
    if (result || !retryable) return result;
    if (attempt >= settings_.maxAttempts) return gaveUp(std::move(result), attempt, false);
    const int64_t waitMs =
        jitteredBackoffMs(attempt, settings_.backoffBaseMs, settings_.backoffMaxMs);
    logger().debug("%s attempt %d failed: %s; retrying in %?d ms", call.api, attempt,
                   result.error().describe(), waitMs);
    sleep_(waitMs);
    if (stopRequested()) return gaveUp(std::move(result), attempt, true);
  }
}

WechatResult<nlohmann::json> WechatClient::attemptOnce(const Call& call, const std::string* token,
                                                       bool& retryable) {
  QueryParams query = call.query;
  if (token) query.emplace_back("access_token", *token);
  const auto start = std::chrono::steady_clock::now();
  TransportResult response = call.isPost ? transport_->postJson(call.api, query, call.body)
                                         : transport_->get(call.api, query);
  const int64_t elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
  WechatResult<nlohmann::json> result =
      response ? interpret(call, *response, token != nullptr)
               : std::unexpected(WechatError{WechatError::Kind::Transport, call.api, 0,
                                             response.error().message});
  retryable = !result && result.error().transient() &&
              result.error().kind != WechatError::Kind::Frequency &&
              (response || call.idempotent || !response.error().requestSent);
  if (settings_.onCall) settings_.onCall(call.api, metricsCode(result), elapsedMs);
  return result;
}

WechatResult<nlohmann::json> WechatClient::interpret(const Call& call, const HttpResponse& response,
                                                     bool usedToken) const {
  if (response.status != 200) {
    // No body in the message: an intermediary's error page may echo the URL and its token.
    WechatError error{WechatError::Kind::Http, call.api, 0, ""};
    error.httpStatus = response.status;
    return std::unexpected(error);
  }
  bool repaired = false;
  nlohmann::json body = parseLenientJson(response.body, repaired);
  if (repaired) {
    logger().information(
        "%s answer held raw control characters or invalid UTF-8 in its text; "
        "read with those bytes escaped or replaced",
        call.api);
  }
  if (body.is_discarded() || !body.is_object()) {
    return std::unexpected(badResponse(
        call.api,
        "body is not a JSON object (" + std::to_string(response.body.size()) + " bytes)"));
  }
  try {
    const int64_t errcode = optionalInt(body, "errcode").value_or(0);
    if (errcode == 0) return body;
    if (errcode < INT32_MIN || errcode > INT32_MAX)
      throw BadField("field 'errcode' is out of range");
    const std::string errmsg = cleanErrmsg(optionalString(body, "errmsg").value_or(""));
    return std::unexpected(errcodeError(call, static_cast<int>(errcode), errmsg, usedToken));
  } catch (const BadField& e) {
    return std::unexpected(badResponse(call.api, e.what()));
  }
}

WechatError WechatClient::errcodeError(const Call& call, int errcode, const std::string& errmsg,
                                       bool usedToken) const {
  using Kind = WechatError::Kind;
  Kind kind = Kind::Permanent;
  if (errcode == -1) {
    kind = Kind::Busy;
  } else if (isTokenErrcode(errcode) && usedToken) {
    kind = Kind::TokenInvalid;  // without a token (token fetch itself) it means bad credentials
  } else if (errcode == 45009) {
    kind = Kind::Quota;
  } else if (errcode == 45011) {
    kind = Kind::Frequency;
  } else if (errcode == 40164) {
    kind = Kind::IpWhitelist;
    logIpWhitelist(call.app, call.api, errmsg);
  }
  return WechatError{kind, call.api, errcode, errmsg};
}

int WechatClient::metricsCode(const WechatResult<nlohmann::json>& result) {
  if (result) return 0;
  const WechatError& error = result.error();
  if (error.errcode != 0) return error.errcode;
  switch (error.kind) {
    case WechatError::Kind::Http:
      return -error.httpStatus;
    case WechatError::Kind::BadResponse:
      return kCallBadResponse;
    default:
      return kCallTransportFailed;
  }
}

}  // namespace wxb
