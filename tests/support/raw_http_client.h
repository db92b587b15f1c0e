// RawHttpConnection: one TCP connection to a local server that sends bytes exactly as the test
// writes them and reads HTTP/1.1 responses back without any client-side repair, for tests of
// how the server treats malformed, smuggled and half-sent requests (hostile_http_test.cpp). A
// source address in 127.0.0.0/8 may be chosen so that one test can act as several peers.
// readResponse() parses one response (status line, headers, a Content-Length body, or none for
// a response to HEAD); readUntilClosed() collects every byte until the server closes, and
// parseResponses() splits such bytes into responses, so a test can count them. Every read has
// a timeout; nothing blocks forever. One connection is used by one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wxb::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased; a repeated name keeps the last
  std::string body;

  // The header's value, "" when absent. `name` in lowercase.
  std::string header(const std::string& name) const;
};

class RawHttpConnection {
 public:
  // Connects to 127.0.0.1:port from `sourceIp` (empty: the kernel's choice). Throws
  // std::runtime_error when the connection cannot be made.
  explicit RawHttpConnection(int port, const std::string& sourceIp = "");
  ~RawHttpConnection();
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;

  // Writes all of `bytes`; false when the server has closed or reset the connection.
  bool send(std::string_view bytes);
  // The next response; nullopt when the connection closed or nothing complete came within
  // timeoutMs. `toHead`: the request was HEAD, so the response has no body whatever its
  // Content-Length says.
  std::optional<RawResponse> readResponse(int timeoutMs = 5000, bool toHead = false);
  // Every byte (after those readResponse() consumed) until the server closes the connection
  // (EOF or reset). nullopt when it is still open after timeoutMs.
  std::optional<std::string> readUntilClosed(int timeoutMs = 5000);

 private:
  // Reads more bytes into buffer_; false on EOF, reset or timeout (closed_ says which).
  bool fill(int timeoutMs);

  int fd_ = -1;
  bool closed_ = false;
  std::string buffer_;
};

// The complete responses in `bytes`, in order (a trailing incomplete one is left out).
std::vector<RawResponse> parseResponses(std::string_view bytes);

// A request of `method` on `target` with a Host header, `extraHeaders` (each "Name: value"
// without CRLF), a Content-Length for a non-empty `body`, and the body.
std::string rawRequest(const std::string& method, const std::string& target,
                       const std::vector<std::string>& extraHeaders = {},
                       const std::string& body = "");

}  // namespace wxb::test
