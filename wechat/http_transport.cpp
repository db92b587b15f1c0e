// HttpTransport: connection pool, TLS context and the one safe stale-connection retry.
#include "wechat/http_transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Timespan.h>
#include <poll.h>

#include <filesystem>
#include <stdexcept>

namespace wxb {

namespace {

// Characters that must be percent-encoded inside a query value (on top of the ones Poco
// always encodes), so that a secret or code containing '&' or '+' arrives intact.
constexpr const char* kQueryReserved = "!#$&'()*+,/:;=?@[]";

Poco::Timespan millis(int ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms) * 1000);
}

Poco::Net::Context::Ptr makeTlsContext(const std::string& caLocation) {
  using Poco::Net::Context;
  Context::Params params;
  params.verificationMode = Context::VERIFY_STRICT;
  params.loadDefaultCAs = true;
  std::error_code ec;
  if (!caLocation.empty() && std::filesystem::exists(caLocation, ec)) {
    params.caLocation = caLocation;
  }
  Context::Ptr context = new Context(Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Context::PROTO_TLSV1_2);
  // Without a handler of its own, Poco would ask its application config (or the console)
  // what to do with a certificate that fails verification; we always refuse it.
  context->setInvalidCertificateHandler(new Poco::Net::RejectCertificateHandler(false));
  return context;
}

// True when an idle pooled connection should not be reused: the peer closed it (EOF makes
// the socket readable) or it holds bytes nobody asked for. One poll(2) on the descriptor:
// Poco 1.11's Socket::poll creates and closes an epoll instance on every call.
bool looksStale(Poco::Net::HTTPClientSession& session) {
  if (!session.connected()) return false;  // never connected: sendRequest connects it
  pollfd fd{session.socket().impl()->sockfd(), POLLIN, 0};
  return ::poll(&fd, 1, 0) != 0;  // readable, hung up, in error, or poll itself failed
}

}  // namespace

struct HttpTransport::Request {
  std::string method;  // Poco::Net::HTTPRequest::HTTP_GET or HTTP_POST
  std::string path;    // for error text: never the query
  std::string target;  // path and encoded query
  const std::string* body = nullptr;
};

HttpTransport::HttpTransport(HttpTransportSettings settings) : settings_(std::move(settings)) {
  try {
    base_ = Poco::URI(settings_.baseUrl);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("api base URL is not a valid URL: " + e.message());
  }
  const std::string& scheme = base_.getScheme();
  if ((scheme != "http" && scheme != "https") || base_.getHost().empty()) {
    throw std::invalid_argument("api base URL must be http:// or https:// with a host, got " +
                                settings_.baseUrl);
  }
  secure_ = scheme == "https";
  try {
    if (secure_) tls_ = makeTlsContext(settings_.caLocation);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("cannot set up TLS with CA location " + settings_.caLocation +
                                ": " + e.displayText());
  }
}

HttpTransport::~HttpTransport() = default;

TransportResult HttpTransport::get(const std::string& path, const QueryParams& query) {
  return execute(Request{Poco::Net::HTTPRequest::HTTP_GET, path, targetFor(path, query)});
}

TransportResult HttpTransport::postJson(const std::string& path, const QueryParams& query,
                                        const std::string& jsonBody) {
  return execute(
      Request{Poco::Net::HTTPRequest::HTTP_POST, path, targetFor(path, query), &jsonBody});
}

int64_t HttpTransport::sessionsCreated() const {
  std::lock_guard lock(mutex_);
  return created_;
}

std::string HttpTransport::targetFor(const std::string& path, const QueryParams& query) const {
  std::string target = base_.getPath();
  if (!target.empty() && target.back() == '/') target.pop_back();
  target += path;
  char separator = '?';
  for (const auto& [name, value] : query) {
    target += separator;
    Poco::URI::encode(name, kQueryReserved, target);
    target += '=';
    Poco::URI::encode(value, kQueryReserved, target);
    separator = '&';
  }
  return target;
}

TransportResult HttpTransport::execute(const Request& request) {
  bool reused = false;
  SessionPtr session = acquire(reused);
  bool retryOnFresh = false;
  TransportResult result = attempt(request, std::move(session), reused, retryOnFresh);
  if (retryOnFresh) {
    // The pooled connection had been closed by the server before our request reached it.
    result = attempt(request, openSession(), false, retryOnFresh);
  }
  return result;
}

TransportResult HttpTransport::attempt(const Request& request, SessionPtr session, bool reused,
                                       bool& retryOnFresh) {
  retryOnFresh = false;
  bool sent = false;
  const std::string what = request.method + " " + request.path + ": ";
  try {
    Poco::Net::HTTPRequest head(request.method, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
    head.setKeepAlive(true);
    head.set("Accept", "application/json");
    head.set("User-Agent", "wxbridge");
    if (request.body) {
      head.setContentType("application/json; charset=utf-8");
      head.setContentLength64(static_cast<Poco::Int64>(request.body->size()));
    }
    std::ostream& out = session->sendRequest(head);
    if (request.body) out << *request.body;
    out.flush();
    if (!out.good() || session->networkException()) {
      if (session->networkException()) session->networkException()->rethrow();
      throw Poco::IOException("request could not be written");
    }
    sent = true;
    HttpResponse response = readResponse(*session);
    release(std::move(session));
    return response;
  } catch (const Poco::TimeoutException&) {
    const int ms = sent ? settings_.readTimeoutMs : settings_.connectTimeoutMs;
    return std::unexpected(
        TransportError{what + "timeout after " + std::to_string(ms) + " ms", true, sent});
  } catch (const Poco::Net::NoMessageException& e) {
    retryOnFresh = reused && (!sent || !request.body);
    return std::unexpected(TransportError{what + e.displayText(), false, sent});
  } catch (const Poco::Net::ConnectionResetException& e) {
    retryOnFresh = reused && (!sent || !request.body);
    return std::unexpected(TransportError{what + e.displayText(), false, sent});
  } catch (const Poco::Exception& e) {
    retryOnFresh = reused && !sent;
    return std::unexpected(TransportError{what + e.displayText(), false, sent});
  } catch (const std::exception& e) {
    return std::unexpected(TransportError{what + e.what(), false, sent});
  }
}

HttpResponse HttpTransport::readResponse(Poco::Net::HTTPClientSession& session) {
  Poco::Net::HTTPResponse head;
  std::istream& in = session.receiveResponse(head);
  HttpResponse response{static_cast<int>(head.getStatus()), {}};
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    response.body.append(buffer, static_cast<size_t>(in.gcount()));
    if (response.body.size() > settings_.maxBodyBytes) {
      throw Poco::DataException("response body over " + std::to_string(settings_.maxBodyBytes) +
                                " bytes");
    }
  }
  // Stream errors are swallowed into badbit; the session keeps the real cause (a timeout).
  if (in.bad()) {
    if (session.networkException()) session.networkException()->rethrow();
    throw Poco::IOException("reading the response body failed");
  }
  if (head.hasContentLength() &&
      static_cast<Poco::Int64>(response.body.size()) != head.getContentLength64()) {
    throw Poco::IOException("response body truncated");
  }
  // The server will close it: drop it now so release() does not pool it.
  if (!head.getKeepAlive()) session.abort();
  return response;
}

HttpTransport::SessionPtr HttpTransport::acquire(bool& reused) {
  std::unique_lock lock(mutex_);
  while (!idle_.empty()) {
    SessionPtr session = std::move(idle_.back());
    idle_.pop_back();
    if (!looksStale(*session)) {
      reused = true;
      return session;
    }
  }
  lock.unlock();
  reused = false;
  return openSession();
}

void HttpTransport::release(SessionPtr session) {
  if (!session->connected()) return;  // closed after a "Connection: close" response
  std::lock_guard lock(mutex_);
  if (static_cast<int>(idle_.size()) < settings_.maxIdleConnections) {
    idle_.push_back(std::move(session));
  }
}

HttpTransport::SessionPtr HttpTransport::openSession() {
  SessionPtr session;
  if (secure_) {
    session =
        std::make_unique<Poco::Net::HTTPSClientSession>(base_.getHost(), base_.getPort(), tls_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(base_.getHost(), base_.getPort());
  }
  session->setTimeout(millis(settings_.connectTimeoutMs), millis(settings_.readTimeoutMs),
                      millis(settings_.readTimeoutMs));
  session->setKeepAlive(true);
  std::lock_guard lock(mutex_);
  ++created_;
  return session;
}

}  // namespace wxb
