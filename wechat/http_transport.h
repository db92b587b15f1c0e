// HttpTransport: HTTP(S) requests to one platform host (the configured api_base), over a small
// pool of keep-alive connections. WechatClient is its only caller; it knows nothing of errcodes
// or retries beyond one safe case: a request on a pooled connection that the server had
// already closed is sent again on a fresh connection, but only when it cannot have reached
// the server twice (a GET that got no response byte, or a POST that could not be written).
//
// https verifies the peer against the system CA store (and the host name); plain http is used
// only when the base URL says so. Errors are values, never exceptions; their text holds the
// request path only, never the query (which carries access_token or secret).
//
// Thread-safe: any number of threads may call get()/postJson() at once; each request holds
// its own connection for its duration.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wxb {

struct HttpTransportSettings {
  std::string baseUrl = "https://api.weixin.qq.com";
  int connectTimeoutMs = 3000;
  int readTimeoutMs = 5000;
  int maxIdleConnections = 8;                 // idle keep-alive connections kept for reuse
  std::string caLocation = "/etc/ssl/certs";  // plus OpenSSL's default CA paths
  size_t maxBodyBytes = 16 * 1024 * 1024;     // a follower page is ~350 KB; larger is wrong
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

struct TransportError {
  std::string message;  // "GET /cgi-bin/user/get: timeout after 5000 ms" - no query
  bool timeout = false;
  // The whole request had been written when it failed: the server may have acted on it.
  bool requestSent = false;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;
using TransportResult = std::expected<HttpResponse, TransportError>;

class HttpTransport {
 public:
  // Throws std::invalid_argument when baseUrl is not an absolute http(s) URL or the CA
  // location cannot be loaded.
  explicit HttpTransport(HttpTransportSettings settings);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // GET basePath + path with the query parameters URL-encoded.
  TransportResult get(const std::string& path, const QueryParams& query);
  // POST a JSON body (Content-Type application/json) to basePath + path.
  TransportResult postJson(const std::string& path, const QueryParams& query,
                           const std::string& jsonBody);

  bool secure() const { return secure_; }
  // Connection sessions created since construction (a reused keep-alive connection is not
  // counted again); lets tests and benchmarks see that reuse works.
  int64_t sessionsCreated() const;

 private:
  struct Request;
  using SessionPtr = std::unique_ptr<Poco::Net::HTTPClientSession>;

  TransportResult execute(const Request& request);
  TransportResult attempt(const Request& request, SessionPtr session, bool reused,
                          bool& retryOnFresh);
  HttpResponse readResponse(Poco::Net::HTTPClientSession& session);
  std::string targetFor(const std::string& path, const QueryParams& query) const;
  SessionPtr acquire(bool& reused);
  void release(SessionPtr session);
  SessionPtr openSession();

  HttpTransportSettings settings_;
  Poco::URI base_;
  bool secure_ = false;
  Poco::Net::Context::Ptr tls_;
  mutable std::mutex mutex_;
  std::vector<SessionPtr> idle_;
  int64_t created_ = 0;
};

}  // namespace wxb
