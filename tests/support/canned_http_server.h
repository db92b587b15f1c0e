// CannedHttpServer: an in-process HTTP (or, given a TLS context, HTTPS) server on a free
// loopback port that answers each path with a status and body the test sets, and counts the
// requests per path. For answers the real fake-wechat never gives: malformed bodies, HTTP
// errors, idle connections dropped on a short keep-alive timeout. A path without an answer gets
// 404 "{}". The constructor starts it; the destructor stops it and closes every connection.
// answer() and hits() are safe from any thread while the server runs.
#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <string>

namespace Poco::Net {
class HTTPServer;
}

namespace wxb::test {

class CannedHttpServer {
 public:
  // Idle keep-alive connections are closed after keepAliveTimeoutMs. With `tls`, it speaks
  // https only.
  explicit CannedHttpServer(int keepAliveTimeoutMs = 10000, Poco::Net::Context::Ptr tls = nullptr);
  ~CannedHttpServer();
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;

  // "http://127.0.0.1:PORT" (https with TLS).
  std::string baseUrl() const;
  // From now on, requests for `path` (query ignored) get `status` and `body` as JSON.
  void answer(const std::string& path, int status, std::string body);
  // Requests for `path` so far.
  int hits(const std::string& path) const;

 private:
  struct State;
  class Handler;
  class Factory;

  std::shared_ptr<State> state_;  // shared with the request handlers
  std::string scheme_;
  int port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace wxb::test
