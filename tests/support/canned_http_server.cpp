// CannedHttpServer: Poco's HTTPServer with one handler type that looks the path up in a shared
// table of answers.
#include "support/canned_http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <map>
#include <mutex>
#include <utility>

namespace wxb::test {

struct CannedHttpServer::State {
  std::mutex mutex;
  std::map<std::string, std::pair<int, std::string>> answers;  // path -> status, body
  std::map<std::string, int> hits;
};

class CannedHttpServer::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::string ignored;
    Poco::StreamCopier::copyToString(request.stream(), ignored);
    const std::string path = Poco::URI(request.getURI()).getPath();
    std::pair<int, std::string> canned{404, "{}"};
    {
      std::lock_guard lock(state_->mutex);
      ++state_->hits[path];
      if (auto it = state_->answers.find(path); it != state_->answers.end()) canned = it->second;
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(canned.first));
    response.setContentType("application/json");
    response.sendBuffer(canned.second.data(), canned.second.size());
  }

 private:
  std::shared_ptr<State> state_;
};

class CannedHttpServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<State> state_;
};

CannedHttpServer::CannedHttpServer(int keepAliveTimeoutMs, Poco::Net::Context::Ptr tls)
    : state_(std::make_shared<State>()), scheme_(tls ? "https" : "http") {
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(keepAliveTimeoutMs * 1000LL));
  const Poco::Net::SocketAddress loopback("127.0.0.1", 0);
  Poco::Net::ServerSocket socket =
      tls ? Poco::Net::SecureServerSocket(loopback, 64, tls) : Poco::Net::ServerSocket(loopback);
  port_ = socket.address().port();
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
  server_->start();
}

CannedHttpServer::~CannedHttpServer() { server_->stopAll(true); }

std::string CannedHttpServer::baseUrl() const {
  return scheme_ + "://127.0.0.1:" + std::to_string(port_);
}

void CannedHttpServer::answer(const std::string& path, int status, std::string body) {
  std::lock_guard lock(state_->mutex);
  state_->answers[path] = {status, std::move(body)};
}

int CannedHttpServer::hits(const std::string& path) const {
  std::lock_guard lock(state_->mutex);
  return state_->hits[path];
}

}  // namespace wxb::test
