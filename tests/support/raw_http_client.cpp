// RawHttpConnection: a blocking socket with poll(2) timeouts; the response parser accepts
// whatever status line the server sends (the token before the status is not checked), so a
// broken server's answer is still seen and counted.
#include "support/raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace wxb::test {

namespace {

int64_t steadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

sockaddr_in loopback(const std::string& ip, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1) {
    throw std::runtime_error("not an IPv4 address: " + ip);
  }
  return address;
}

// Status line and headers of the head in bytes[0, headEnd).
RawResponse parseHead(std::string_view head) {
  RawResponse response;
  size_t lineEnd = head.find("\r\n");
  std::string_view statusLine = head.substr(0, lineEnd);
  size_t space = statusLine.find(' ');
  if (space != std::string_view::npos) {
    response.status = std::atoi(std::string(statusLine.substr(space + 1, 3)).c_str());
  }
  while (lineEnd != std::string_view::npos && lineEnd + 2 < head.size()) {
    size_t start = lineEnd + 2;
    lineEnd = head.find("\r\n", start);
    std::string_view line = head.substr(start, lineEnd - start);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    response.headers[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return response;
}

// One response from the front of `bytes`; its length in `used`, or nullopt when incomplete.
std::optional<RawResponse> parseOne(std::string_view bytes, bool toHead, size_t& used) {
  size_t headEnd = bytes.find("\r\n\r\n");
  if (headEnd == std::string_view::npos) return std::nullopt;
  RawResponse response = parseHead(bytes.substr(0, headEnd + 2));
  size_t length = 0;
  bool bodiless =
      toHead || response.status / 100 == 1 || response.status == 204 || response.status == 304;
  if (!bodiless && !response.header("content-length").empty()) {
    length = std::strtoul(response.header("content-length").c_str(), nullptr, 10);
  }
  if (bytes.size() < headEnd + 4 + length) return std::nullopt;
  response.body = std::string(bytes.substr(headEnd + 4, length));
  used = headEnd + 4 + length;
  return response;
}

}  // namespace

std::string RawResponse::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

RawHttpConnection::RawHttpConnection(int port, const std::string& sourceIp) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (!sourceIp.empty()) {
    sockaddr_in source = loopback(sourceIp, 0);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
      close(fd_);
      throw std::runtime_error("bind " + sourceIp + ": " + std::strerror(errno));
    }
  }
  sockaddr_in server = loopback("127.0.0.1", port);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    int error = errno;
    close(fd_);
    throw std::runtime_error(std::string("connect: ") + std::strerror(error));
  }
}

RawHttpConnection::~RawHttpConnection() { close(fd_); }

bool RawHttpConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawHttpConnection::fill(int timeoutMs) {
  if (closed_) return false;
  pollfd pfd{fd_, POLLIN, 0};
  if (poll(&pfd, 1, std::max(timeoutMs, 0)) <= 0) return false;
  char chunk[16384];
  ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<RawResponse> RawHttpConnection::readResponse(int timeoutMs, bool toHead) {
  const int64_t deadline = steadyMs() + timeoutMs;
  while (true) {
    size_t used = 0;
    if (auto response = parseOne(buffer_, toHead, used)) {
      buffer_.erase(0, used);
      return response;
    }
    if (!fill(static_cast<int>(deadline - steadyMs()))) return std::nullopt;
  }
}

std::optional<std::string> RawHttpConnection::readUntilClosed(int timeoutMs) {
  const int64_t deadline = steadyMs() + timeoutMs;
  while (!closed_) {
    if (!fill(static_cast<int>(deadline - steadyMs())) && !closed_) return std::nullopt;
  }
  std::string rest;
  rest.swap(buffer_);
  return rest;
}

std::vector<RawResponse> parseResponses(std::string_view bytes) {
  std::vector<RawResponse> responses;
  size_t used = 0;
  while (auto response = parseOne(bytes, false, used)) {
    responses.push_back(std::move(*response));
    bytes.remove_prefix(used);
  }
  return responses;
}

std::string rawRequest(const std::string& method, const std::string& target,
                       const std::vector<std::string>& extraHeaders, const std::string& body) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: wxbridge.test\r\n";
  for (const auto& header : extraHeaders) request += header + "\r\n";
  if (!body.empty()) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return request + "\r\n" + body;
}

}  // namespace wxb::test
