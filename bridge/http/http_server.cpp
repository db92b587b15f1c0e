#include "bridge/http/http_server.h"

#include <Poco/Logger.h>
#include <Poco/Net/ServerSocket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "bridge/http/wire_response.h"

namespace wxb {

namespace {

constexpr int kListenBacklog = 256;
constexpr int kSweepMs = 100;            // deadlines are enforced to about this
constexpr int64_t kAcceptPauseMs = 100;  // after running out of file descriptors

int64_t steadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

int checked(int result, const char* what) {
  if (result < 0) throw std::system_error(errno, std::generic_category(), what);
  return result;
}

std::string peerText(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
  } else if (address.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
              sizeof text);
  }
  return text;
}

void signalEvent(int fd) {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(fd, &one, sizeof one);
}

}  // namespace

void describeHttpMetrics(Metrics& metrics) {
  metrics.describe("wxbridge_http_requests_total", Metrics::Type::Counter,
                   "HTTP requests by route, method and status");
  metrics.describe("wxbridge_http_request_duration_seconds", Metrics::Type::Histogram,
                   "HTTP request latency by route",
                   {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5});
  metrics.describe("wxbridge_http_rejected_total", Metrics::Type::Counter,
                   "requests and connections refused below the routes, by reason (malformed "
                   "head, timeouts, connection limits)");
}

HttpServer::HttpServer(const HttpSettings& settings, const Router& router, Metrics& metrics)
    : settings_(settings), pipeline_(settings, router, metrics) {}

HttpServer::~HttpServer() { shutDown(); }

void HttpServer::start() {
  Poco::Net::SocketAddress address(settings_.bind, static_cast<Poco::UInt16>(settings_.port));
  listener_ = std::make_unique<Poco::Net::ServerSocket>();
  // Not Poco's (address, backlog) constructor: it also sets SO_REUSEPORT, with which a second
  // process on the same port starts as well and the kernel splits the connections between them.
  try {
    listener_->bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    listener_->listen(kListenBacklog);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("http.bind:http.port " + address.toString() + ": " +
                             (e.code() == EADDRINUSE ? "already in use" : e.displayText()));
  }
  listener_->setBlocking(false);
  port_ = listener_->address().port();
  epoll_ = checked(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
  stopWorkers_ = checked(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
  wakeKeeper_ = checked(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
  table_ = std::make_unique<ConnectionTable>(
      static_cast<size_t>(settings_.threads) + static_cast<size_t>(settings_.queue),
      static_cast<size_t>(settings_.maxConnectionsPerIp));
  epoll_event stop{};
  stop.events = EPOLLIN;
  stop.data.ptr = nullptr;
  checked(epoll_ctl(epoll_, EPOLL_CTL_ADD, stopWorkers_, &stop), "epoll_ctl");
  for (int i = 0; i < settings_.threads; ++i) workers_.emplace_back([this] { work(); });
  keeping_ = true;
  keeper_ = std::thread([this] { housekeep(); });
}

void HttpServer::stop() {
  if (!table_) return;
  draining_ = true;
  signalEvent(wakeKeeper_);
  int64_t deadline = steadyMs() + settings_.drainSeconds * 1000L;
  while (table_->size() > 0 && steadyMs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  shutDown();
}

// Closes whatever is left, stops and joins every thread. Idempotent, and safe after a start()
// that failed half way.
void HttpServer::shutDown() {
  if (!table_) return;
  draining_ = true;
  table_->shutdownAll();
  if (stopWorkers_ >= 0) signalEvent(stopWorkers_);
  for (auto& worker : workers_) worker.join();
  workers_.clear();
  keeping_ = false;
  if (keeper_.joinable()) {
    signalEvent(wakeKeeper_);
    keeper_.join();
  }
  table_.reset();  // closes the connections still open
  for (int fd : {epoll_, stopWorkers_, wakeKeeper_}) {
    if (fd >= 0) close(fd);
  }
  epoll_ = stopWorkers_ = wakeKeeper_ = -1;
  listener_.reset();
}

void HttpServer::work() {
  pthread_setname_np(pthread_self(), "wxb-http");
  epoll_event event{};
  while (true) {
    int n = epoll_wait(epoll_, &event, 1, -1);
    if (n < 0 && errno != EINTR) {
      Poco::Logger::get("wxb.http").error("epoll_wait: %s", std::string(strerror(errno)));
      return;
    }
    if (n <= 0) continue;
    if (event.data.ptr == nullptr) return;  // stopWorkers_
    serve(static_cast<ConnectionTable::Entry*>(event.data.ptr));
  }
}

void HttpServer::serve(ConnectionTable::Entry* entry) {
  using State = ConnectionTable::State;
  bool expired = entry->state.exchange(State::Busy) == State::Expired;
  HttpConnection& connection = *entry->connection;
  int64_t now = steadyMs();
  HttpConnection::Next next;  // Close
  try {
    next = expired ? connection.onExpired(now, draining_) : connection.onReady(now, draining_);
  } catch (const std::exception& e) {  // e.g. bad_alloc: this connection ends, the server goes on
    Poco::Logger::get("wxb.http")
        .error("connection from %s: %s", connection.peer(), std::string(e.what()));
  }
  park(entry, next, EPOLL_CTL_MOD);
}

void HttpServer::park(ConnectionTable::Entry* entry, const HttpConnection::Next& next, int op) {
  if (next.wait == HttpConnection::Wait::Close) {
    table_->remove(entry);
    return;
  }
  bool write = next.wait == HttpConnection::Wait::Write;
  int fd = entry->connection->fd();
  entry->deadlineMs = next.deadlineMs;
  entry->waitsToWrite = write;
  entry->idle = next.idle;
  // The release that the next holder's exchange() acquires. From here another worker (or the
  // housekeeper) may take the entry: do not touch it again. (ThreadSanitizer does not see that
  // epoll_ctl(MOD) happens before the event it arms, and reports the fd use below against that
  // worker's close().)
  entry->state = ConnectionTable::State::Waiting;
  epoll_event event{};
  event.events = (write ? EPOLLOUT : EPOLLIN | EPOLLRDHUP) | EPOLLONESHOT;
  event.data.ptr = entry;
  if (epoll_ctl(epoll_, op, fd, &event) != 0) {
    Poco::Logger::get("wxb.http").error("epoll_ctl: %s", std::string(strerror(errno)));
    table_->remove(entry);  // never reported by epoll again, so no worker holds it
  }
}

void HttpServer::housekeep() {
  pthread_setname_np(pthread_self(), "wxb-http-keeper");
  pollfd fds[2] = {{wakeKeeper_, POLLIN, 0}, {listener_->impl()->sockfd(), POLLIN, 0}};
  while (keeping_) {
    try {
      keepOnce(fds);
    } catch (const std::exception& e) {  // e.g. bad_alloc: an exception here would end serve
      Poco::Logger::get("wxb.http").error("housekeeping: %s; going on", std::string(e.what()));
      std::this_thread::sleep_for(std::chrono::milliseconds(kSweepMs));
    }
  }
}

void HttpServer::keepOnce(pollfd (&fds)[2]) {
  bool listening = !draining_ && steadyMs() >= acceptPausedUntilMs_;
  poll(fds, listening ? 2 : 1, kSweepMs);
  if (fds[0].revents) {
    uint64_t count = 0;
    [[maybe_unused]] ssize_t n = read(wakeKeeper_, &count, sizeof count);
  }
  if (draining_ && listener_->impl()->sockfd() >= 0) listener_->close();
  if (listening && (fds[1].revents & POLLIN)) acceptAll();
  table_->expire(steadyMs(), draining_);
}

void HttpServer::acceptAll() {
  int listenFd = listener_->impl()->sockfd();
  while (true) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int fd = accept4(listenFd, reinterpret_cast<sockaddr*>(&address), &length,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      admit(fd, peerText(address));
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      Poco::Logger::get("wxb.http")
          .warning(
              "accept: %s; not accepting for %d ms (raise the open files limit or lower "
              "http.queue)",
              std::string(strerror(errno)), static_cast<int>(kAcceptPauseMs));
      acceptPausedUntilMs_ = steadyMs() + kAcceptPauseMs;
    }
    return;
  }
}

void HttpServer::admit(int fd, const std::string& peer) {
  bool limited = !settings_.trustedProxies.contains(peer);
  if (auto refusal = table_->check(peer, limited); refusal != ConnectionTable::Refusal::None) {
    refuse(fd, peer, refusal);
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto connection = std::make_unique<HttpConnection>(fd, peer, settings_, pipeline_, steadyMs());
  HttpConnection::Next first = connection->start();
  park(table_->add(std::move(connection), peer, limited), first, EPOLL_CTL_ADD);
}

void HttpServer::refuse(int fd, const std::string& peer, ConnectionTable::Refusal refusal) {
  bool fromPeer = refusal == ConnectionTable::Refusal::TooManyFromPeer;
  ApiResponse response = protocolError(
      503, fromPeer ? "this address already holds http.max_connections_per_ip connections"
                    : "the server holds all the connections it takes (http.threads + http.queue)");
  response.headers["Retry-After"] = "1";
  std::string out;
  appendResponse(out, response, WireOptions{false, false, false});
  // What the client sent already is read first: closing over unread bytes would reset the
  // connection, and the client might lose the answer.
  char scratch[4096];
  [[maybe_unused]] ssize_t n = recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
  n = send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  shutdown(fd, SHUT_WR);
  close(fd);
  pipeline_.recordRejected(fromPeer ? "peer_connection_limit" : "connection_limit", "-", 503, peer);
}

}  // namespace wxb
