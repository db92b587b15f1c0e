#include "bridge/http/http_connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "bridge/http/wire_response.h"

namespace wxb {

namespace {

constexpr size_t kReadChunk = 16384;
constexpr int kReadsPerWakeup = 8;   // then back to the event loop: fair to other clients
constexpr int64_t kLingerMs = 2000;  // how long a closing connection's late bytes are read
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

// The method at the start of a request that failed to parse, for metrics; "-" when there is
// none to trust.
std::string leadingMethod(std::string_view in) {
  while (in.starts_with("\r\n")) in.remove_prefix(2);
  size_t space = in.find(' ');
  if (space == std::string_view::npos || space == 0 || space > 16) return "-";
  std::string_view method = in.substr(0, space);
  for (char c : method) {
    if (c < 'A' || c > 'Z') return "-";
  }
  return std::string(method);
}

}  // namespace

HttpConnection::HttpConnection(int fd, std::string peer, const HttpSettings& settings,
                               const RequestPipeline& pipeline, int64_t acceptedMs)
    : fd_(fd),
      peer_(std::move(peer)),
      settings_(settings),
      pipeline_(pipeline),
      headDeadlineMs_(acceptedMs + settings.headerTimeoutMs),
      idleSinceMs_(acceptedMs) {}

HttpConnection::~HttpConnection() { ::close(fd_); }

HttpConnection::Next HttpConnection::start() const { return waitForHead(); }

HttpConnection::Next HttpConnection::waitForHead() const {
  if (peerClosed_) return {Wait::Close};
  if (!scanner_.started() && served_) {
    return {Wait::Read, idleSinceMs_ + settings_.keepAliveTimeoutMs, true};
  }
  return {Wait::Read, headDeadlineMs_, !scanner_.started()};
}

HttpConnection::Next HttpConnection::waitForBody() const {
  if (peerClosed_) return {Wait::Close};
  return {Wait::Read, requestStartedMs_ + settings_.requestTimeoutMs, false};
}

HttpConnection::Read HttpConnection::readSome() {
  char buffer[kReadChunk];
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    ssize_t n = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      in_.append(buffer, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < sizeof buffer) return Read::Data;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Read::Data;
    peerClosed_ = true;  // EOF, or an error that ends the connection all the same
    return Read::Closed;
  }
  return Read::Data;
}

HttpConnection::Next HttpConnection::onReady(int64_t nowMs, bool draining) {
  if (phase_ == Phase::Write) {
    Next next = flush(nowMs);
    return phase_ == Phase::Head && next.wait != Wait::Close ? process(nowMs, draining) : next;
  }
  if (phase_ == Phase::Linger) return linger(nowMs);
  if (readSome() == Read::Closed && in_.empty()) return {Wait::Close};
  return process(nowMs, draining);
}

HttpConnection::Next HttpConnection::process(int64_t nowMs, bool draining) {
  while (true) {
    if (phase_ == Phase::Head) {
      if (auto next = headPhase(nowMs, draining)) return *next;
    }
    if (phase_ == Phase::Body) {
      if (auto next = bodyPhase(nowMs, draining)) return *next;
    }
    if (phase_ == Phase::Linger) return linger(nowMs);
    Next next = flush(nowMs);
    if (phase_ != Phase::Head || next.wait == Wait::Close) return next;
  }
}

std::optional<HttpConnection::Next> HttpConnection::headPhase(int64_t nowMs, bool draining) {
  bool wasStarted = scanner_.started();
  HeadScanner::State state = scanner_.scan(in_);
  if (!wasStarted && scanner_.started() && served_) {
    headDeadlineMs_ = nowMs + settings_.headerTimeoutMs;
  }
  if (state == HeadScanner::State::Incomplete) return waitForHead();
  if (state == HeadScanner::State::Invalid) return reject(scanner_.error(), nowMs);
  auto parsed = parseRequestHead(std::string_view(in_).substr(0, scanner_.headBytes()));
  if (!parsed) return reject(parsed.error(), nowMs);
  head_ = std::move(*parsed);
  headBytes_ = scanner_.headBytes();
  admit(nowMs, draining);
  return std::nullopt;
}

void HttpConnection::admit(int64_t nowMs, bool draining) {
  requestStartedMs_ = nowMs;
  started_ = std::chrono::steady_clock::now();
  admission_ = pipeline_.admit(*head_, peer_);
  if (admission_.early) {
    // A body is never read for a refused request: one that has arrived whole is skipped, any
    // other ends the connection after the answer. So does a 403 (a peer with no business here).
    size_t skip = headBytes_ + (head_->framing == BodyFraming::Length ? head_->contentLength : 0);
    bool bodyUnread = head_->framing == BodyFraming::Chunked || in_.size() < skip;
    bool keep = !bodyUnread && admission_.early->status != 403 && head_->keepAlive && !draining;
    respond(*admission_.early, keep ? After::Continue : After::Linger, skip, nowMs);
    return;
  }
  phase_ = Phase::Body;
  if (head_->framing == BodyFraming::Chunked) chunked_.emplace(admission_.maxBodyBytes);
  if (head_->expectContinue && in_.size() == headBytes_) {
    send(fd_, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
}

std::optional<HttpConnection::Next> HttpConnection::bodyPhase(int64_t nowMs, bool draining) {
  size_t wireBytes = 0;
  std::string& body = admission_.request.body;
  if (head_->framing == BodyFraming::Length) {
    if (in_.size() - headBytes_ < head_->contentLength) return waitForBody();
    wireBytes = static_cast<size_t>(head_->contentLength);
    body.assign(in_, headBytes_, wireBytes);
  } else if (head_->framing == BodyFraming::Chunked) {
    switch (chunked_->feed(std::string_view(in_).substr(headBytes_), body)) {
      case ChunkedBody::State::NeedMore:
        return waitForBody();
      case ChunkedBody::State::Invalid:
        return reject(HeadError{400, "chunked_body", "body: malformed chunked encoding"}, nowMs);
      case ChunkedBody::State::TooLarge:
        respond(bodyTooLarge(admission_.maxBodyBytes), After::Linger, in_.size(), nowMs);
        return std::nullopt;
      case ChunkedBody::State::Done:
        wireBytes = chunked_->consumed();
    }
  }
  ApiResponse response = pipeline_.run(admission_);
  bool keep = head_->keepAlive && !draining;
  respond(response, keep ? After::Continue : After::Linger, headBytes_ + wireBytes, nowMs);
  return std::nullopt;
}

void HttpConnection::respond(const ApiResponse& response, After after, size_t consumed,
                             int64_t nowMs) {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  pipeline_.record(head_->method, admission_.label, response.status, seconds, peer_);
  WireOptions options{after == After::Continue, head_->minorVersion == 0, admission_.headOnly};
  appendResponse(out_, response, options);
  queued(after, after == After::Continue ? consumed : in_.size(), nowMs);
}

HttpConnection::Next HttpConnection::reject(const HeadError& error, int64_t nowMs) {
  pipeline_.recordRejected(error.reason, leadingMethod(in_), error.status, peer_);
  appendResponse(out_, protocolError(error), WireOptions{false, false, false});
  queued(After::Linger, in_.size(), nowMs);
  return flush(nowMs);
}

// A response is in out_: drop the request's bytes and state, and write it.
void HttpConnection::queued(After after, size_t consumed, int64_t nowMs) {
  in_.erase(0, consumed);
  after_ = after;
  phase_ = Phase::Write;
  phaseDeadlineMs_ = nowMs + settings_.requestTimeoutMs;
  served_ = true;
  scanner_ = HeadScanner();
  head_.reset();
  admission_ = Admission();
  chunked_.reset();
  headBytes_ = 0;
}

HttpConnection::Next HttpConnection::flush(int64_t nowMs) {
  while (sent_ < out_.size()) {
    ssize_t n = send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent_ += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return {Wait::Write, phaseDeadlineMs_, false};
    } else if (n < 0 && errno != EINTR) {
      return {Wait::Close};  // the client is gone
    }
  }
  out_.clear();
  sent_ = 0;
  if (after_ == After::Close) return {Wait::Close};
  if (after_ == After::Linger) {
    shutdown(fd_, SHUT_WR);
    phase_ = Phase::Linger;
    phaseDeadlineMs_ = nowMs + kLingerMs;
    discarded_ = 0;
    return linger(nowMs);
  }
  phase_ = Phase::Head;
  idleSinceMs_ = nowMs;
  return waitForHead();
}

// Reads and drops what the client still sends, until it closes, the linger time is up, or it has
// sent more than any request we would take.
HttpConnection::Next HttpConnection::linger(int64_t) {
  char buffer[kReadChunk];
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    ssize_t n = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return {Wait::Close};
    discarded_ += static_cast<size_t>(n);
    if (discarded_ > settings_.maxBodyBytes + kMaxHeadBytes) return {Wait::Close};
  }
  return {Wait::Read, phaseDeadlineMs_, false};
}

HttpConnection::Next HttpConnection::onExpired(int64_t nowMs, bool draining) {
  if (phase_ == Phase::Write && !draining) pipeline_.recordRejected("write_timeout", "-", 0, peer_);
  if (phase_ != Phase::Head && phase_ != Phase::Body) return {Wait::Close};
  bool begun = phase_ == Phase::Body || scanner_.started();
  if (!begun && (served_ || draining)) return {Wait::Close};  // an idle keep-alive connection
  std::string method = head_ ? head_->method : leadingMethod(in_);
  const char* reason = phase_ == Phase::Body ? "body_timeout" : "header_timeout";
  pipeline_.recordRejected(reason, method, begun ? 408 : 0, peer_);
  if (begun) {
    // Best effort: the client that is this slow gets one try at the answer.
    appendResponse(out_, protocolError(408, "the request did not arrive in time"),
                   WireOptions{false, false, false});
    queued(After::Close, in_.size(), nowMs);
    flush(nowMs);
  }
  return {Wait::Close};
}

}  // namespace wxb
