// WechatClient: one typed method per platform call in WECHAT.md. Callers are the token service
// (fetchToken/fetchStableToken/probeToken), follower sync (getFollowers/batchGetUserInfo),
// sending (sendTemplate/sendSubscribe/sendBizSubscribe/quotaGet/clearQuota) and the MP login
// route (jscode2session).
//
// Every method returns a value or a WechatError naming the API; no exception escapes. The
// client applies the platform's error rules itself: a rejected token (40001/40014/42001) is
// reported to the TokenSource and the call retried once with a fresh token; -1, HTTP 5xx and
// transport failures are retried with capped exponential backoff (wechat/backoff.h) up to
// maxAttempts - or fewer: a thread whose StopSignal fired (cron/stop_signal.h: its owner is
// stopping) is not retried, and its backoff wait ends at once; 45009/45011/40164 and
// every other errcode come back at once, by kind.
// Answers are decoded tolerantly (wechat/lenient_json.h: raw control characters and invalid
// UTF-8 in text do not sink an answer) and validated field by field: a malformed field the
// caller needs is Kind::BadResponse; a malformed entry of a list costs only that entry.
// No log line or error text carries a token, appsecret, js_code or session_key.
//
// Thread-safe: one client is shared by every thread; calls run concurrently over a pool of
// keep-alive connections.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "wechat/token_source.h"
#include "wechat/wechat_error.h"
#include "wechat/wechat_types.h"

namespace wxb {

class HttpTransport;
struct HttpResponse;

// Invoked once per HTTP attempt: the API path, the errcode (0 success, the platform's errcode,
// or one of the kCall* values / -HTTP status below) and the attempt's wall time.
using CallObserver = std::function<void(const std::string& api, int errcode, int64_t durationMs)>;
constexpr int kCallTransportFailed = -1000;  // connect/read failure or timeout
constexpr int kCallBadResponse = -1001;      // HTTP 200 but not the JSON we expect
// A status other than 200 is reported as its negative, e.g. -502.

// Backoff waits go through this so that tests can record them instead of sleeping (the default
// is sleepUnlessStopped(), cron/stop_signal.h).
using Sleeper = std::function<void(int64_t ms)>;

struct WechatClientSettings {
  std::string apiBase = "https://api.weixin.qq.com";
  std::string oaAppid, oaSecret, mpAppid, mpSecret;
  int connectTimeoutMs = 3000;
  int readTimeoutMs = 5000;
  int maxAttempts = 4;  // per call, first try included (a token refresh starts a new round)
  int backoffBaseMs = 200;
  int backoffMaxMs = 5000;
  int maxIdleConnections = 8;
  // CA file or folder trusted for https, on top of OpenSSL's defaults.
  std::string caLocation = "/etc/ssl/certs";
  CallObserver onCall;  // optional metrics hook
};

class WechatClient {
 public:
  static constexpr size_t kMaxBatchGet = 100;

  // Throws std::invalid_argument for an unusable apiBase or non-positive limits.
  WechatClient(WechatClientSettings settings, TokenSource& tokens, Sleeper sleep = {});
  // A client for the token-free calls only (fetchToken, fetchStableToken, probeToken,
  // jscode2session), e.g. inside the token service; token-using calls fail with
  // Kind::TokenInvalid.
  explicit WechatClient(WechatClientSettings settings, Sleeper sleep = {});
  ~WechatClient();
  WechatClient(const WechatClient&) = delete;
  WechatClient& operator=(const WechatClient&) = delete;

  // Classic GET /cgi-bin/token: every fetch rotates the app's token. Prefer the stable one.
  WechatResult<AccessToken> fetchToken(App app);
  // POST /cgi-bin/stable_token; forceRefresh rotates (20 a day, 30 s apart: the caller's job).
  WechatResult<AccessToken> fetchStableToken(App app, bool forceRefresh);
  // Whether the platform accepts `token` of `app`, asked with the cheapest call that takes
  // one: GET /cgi-bin/get_api_domain_ip (no side effect, open to OA and MP tokens). Success
  // when it does; Kind::TokenInvalid when the platform rejects it (40001/40014/42001), without
  // reporting to the TokenSource; any other error when the platform could not tell.
  WechatResult<void> probeToken(App app, const std::string& token);

  // GET /cgi-bin/user/get from nextOpenid ("" for the first page).
  WechatResult<FollowerPage> getFollowers(const std::string& nextOpenid);
  // GET /cgi-bin/user/info for one OA openid.
  WechatResult<UserInfo> userInfo(const std::string& openid, const std::string& lang = "zh_CN");
  // POST /cgi-bin/user/info/batchget; more than kMaxBatchGet openids is refused before any
  // request (Kind::Permanent, errcode 0); an empty list returns an empty list.
  WechatResult<std::vector<UserInfo>> batchGetUserInfo(const std::vector<std::string>& openids,
                                                       const std::string& lang = "zh_CN");

  // POST /cgi-bin/message/template/send; returns the platform's msgid.
  WechatResult<int64_t> sendTemplate(const TemplateMessage& message);
  // POST /cgi-bin/message/subscribe/send with the MP token (WECHAT.md, "Subscribe message
  // (MP)"); returns the platform's msgid, 0 when its answer carries none. Each delivery spends
  // one of the user's grants and the platform deduplicates nothing, so a send whose request was
  // written is never repeated after a lost answer (Kind::Transport: it may have been delivered).
  // 43101 (no grant), 40003, 40037, 41030 (page) and 47003 (a value) are Kind::Permanent.
  WechatResult<int64_t> sendSubscribe(const SubscribeMessage& message);
  // POST /cgi-bin/message/subscribe/bizsend with the OA token (WECHAT.md, "OA subscribe
  // notifications"); the same rules and errcodes as sendSubscribe, msgid 0 when none is given.
  WechatResult<int64_t> sendBizSubscribe(const BizSubscribeMessage& message);

  // POST /cgi-bin/qrcode/create, QR_STR_SCENE: a temporary code for `scene` (1-64 characters)
  // living expireSeconds (1-2,592,000); out-of-range input is refused before any request
  // (Kind::Permanent, errcode 0).
  WechatResult<QrCode> createQrCode(const std::string& scene, int64_t expireSeconds);

  // GET /sns/jscode2session with the MP credentials; a code is single use.
  WechatResult<MpSession> jscode2session(const std::string& code);

  // POST /cgi-bin/openapi/quota/get for cgiPath, e.g. "/cgi-bin/message/template/send".
  WechatResult<ApiQuota> quotaGet(const std::string& cgiPath, App app = App::Oa);
  // POST /cgi-bin/clear_quota: resets every daily quota of the app (10 a month).
  WechatResult<void> clearQuota(App app = App::Oa);

  // Connection sessions created so far (reuse keeps this small).
  int64_t connectionsCreated() const;

 private:
  struct Call;

  WechatResult<nlohmann::json> callPlain(const Call& call);
  WechatResult<nlohmann::json> callWithToken(const Call& call);
  WechatResult<nlohmann::json> callWithRetries(const Call& call, const std::string* token);
  WechatResult<nlohmann::json> attemptOnce(const Call& call, const std::string* token,
                                           bool& retryable);
  WechatResult<nlohmann::json> interpret(const Call& call, const HttpResponse& response,
                                         bool usedToken) const;
  WechatError errcodeError(const Call& call, int errcode, const std::string& errmsg,
                           bool usedToken) const;
  static int metricsCode(const WechatResult<nlohmann::json>& result);
  const std::string& appid(App app) const;
  const std::string& secret(App app) const;

  WechatClientSettings settings_;
  TokenSource* tokens_;
  Sleeper sleep_;
  std::unique_ptr<HttpTransport> transport_;
};

}  // namespace wxb
