#include "fake_wechat/server.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <istream>

namespace wxb::fake {
namespace {

constexpr std::streamsize kMaxBody = 64 << 20;
constexpr int kMaxQueued = 1000;
constexpr int kBacklog = 1024;
constexpr int kKeepAliveSeconds = 15;

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Reads the body into `out`; false when it exceeds kMaxBody.
bool readBody(HTTPServerRequest& request, std::string& out) {
  std::istream& in = request.stream();
  if (request.hasContentLength()) {
    auto length = request.getContentLength64();
    if (length > kMaxBody) return false;
    out.resize(static_cast<std::size_t>(length));
    in.read(out.data(), static_cast<std::streamsize>(length));
    out.resize(static_cast<std::size_t>(in.gcount()));
    return true;
  }
  // Without a length or chunking an HTTP/1.1 request has no body (reading would wait for EOF).
  if (!request.getChunkedTransferEncoding()) return true;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    out.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::streamsize>(out.size()) > kMaxBody) return false;
  }
  return true;
}

Call toCall(HTTPServerRequest& request) {
  Poco::URI uri(request.getURI());
  Call call;
  call.method = request.getMethod();
  call.path = uri.getPath();
  for (auto& [key, value] : uri.getQueryParameters()) call.query.emplace_back(key, value);
  call.peerIp = request.clientAddress().host().toString();
  return call;
}

void sendReply(const Reply& reply, HTTPServerResponse& response) {
  if (reply.drop) {
    response.setKeepAlive(false);
    return;
  }
  response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(reply.status));
  response.setContentType(reply.contentType + "; charset=utf-8");
  if (reply.stream) {
    response.setChunkedTransferEncoding(true);
    reply.stream(response.send());
    return;
  }
  response.sendBuffer(reply.body.data(), reply.body.size());
}

class RouteHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RouteHandler(Router& router) : router_(router) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      Call call;
      try {
        call = toCall(request);
      } catch (const Poco::SyntaxException&) {
        return sendReply(controlError(400, "malformed request URI"), response);
      }
      if (!readBody(request, call.body)) {
        response.setKeepAlive(false);
        return sendReply(controlError(413, "body larger than 64 MiB"), response);
      }
      sendReply(router_.handle(call), response);
    } catch (const std::exception& error) {
      Poco::Logger::get("wxb.fake").warning("request failed: %s", std::string(error.what()));
      if (!response.sent()) sendReply(controlError(500, error.what()), response);
    }
  }

 private:
  Router& router_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(Router& router) : router_(router) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RouteHandler(router_);
  }

 private:
  Router& router_;
};

}  // namespace

FakeServer::FakeServer(Platform& platform, const Options& options)
    : platform_(platform),
      router_(platform),
      pool_(4, options.threads + 4),
      socket_(Poco::Net::SocketAddress("127.0.0.1", options.port), kBacklog) {
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options.threads);
  params->setMaxQueued(kMaxQueued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(kKeepAliveSeconds, 0));
  params->setMaxKeepAliveRequests(0);
  server_ =
      std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(router_), pool_, socket_, params);
}

FakeServer::~FakeServer() { stop(); }

void FakeServer::start() {
  server_->start();
  running_ = true;
}

void FakeServer::stop() {
  if (!running_) return;
  running_ = false;
  platform_.faults.shutdown();
  server_->stopAll(true);
  pool_.joinAll();
}

}  // namespace wxb::fake
