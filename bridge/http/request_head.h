// The head of an HTTP/1.x request (request line and header fields), parsed strictly per RFC 9112
// so that this server and any proxy in front of it cannot disagree about where a request ends:
// CRLF line ends only, no obs-fold, no whitespace before a field's colon or inside the target,
// one Host, at most one Content-Length (digits only), a Transfer-Encoding only when it ends in
// chunked and never together with a Content-Length, one Authorization. Anything else is a
// HeadError naming the status (400, 414, 431, 501, 505) and a fixed reason for metrics; the
// caller answers it and closes the connection.
//
// HeadScanner finds where a head ends as bytes arrive (each byte looked at once, however slowly
// they come) and enforces the size limits early, so an oversized head is refused without waiting
// for the rest. The server's connection loop is the caller (http_connection.cpp). Plain values
// and functions; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wxb {

// The limits are fixed (nginx's defaults are of the same order); a client that needs more is
// not one of ours.
inline constexpr size_t kMaxRequestLineBytes = 8192;  // beyond: 414
inline constexpr size_t kMaxFieldLineBytes = 8192;    // one header line; beyond: 431
inline constexpr size_t kMaxHeadBytes = 32768;        // the whole head; beyond: 431
inline constexpr size_t kMaxFields = 64;              // header lines; beyond: 431

struct HeadError {
  int status = 400;
  std::string reason;   // fixed label for metrics and logs, e.g. "content_length"
  std::string message;  // for the client: names the field or part; never echoes raw bytes
};

enum class BodyFraming { None, Length, Chunked };

struct RequestHead {
  std::string method;
  std::string target;  // as sent
  std::string path;    // of the target, without the query; not percent-decoded
  std::string query;   // after '?'; "" when none
  int minorVersion = 1;
  std::vector<std::pair<std::string, std::string>> fields;  // names lowercased, values trimmed
  BodyFraming framing = BodyFraming::None;  // None: no body (RFC 9112 6.3, last rule)
  uint64_t contentLength = 0;               // when framing is Length
  bool keepAlive = true;                    // from the version and Connection
  bool expectContinue = false;

  // Every line's value for `lowercaseName`, joined with ", " (RFC 9110 5.3); "" when absent.
  std::string joined(std::string_view lowercaseName) const;
  size_t count(std::string_view lowercaseName) const;
};

// Parses a complete head: the bytes up to and including the empty line that ends it.
std::expected<RequestHead, HeadError> parseRequestHead(std::string_view head);

// Feed it the growing buffer of one request: scan() looks only at bytes it has not seen.
class HeadScanner {
 public:
  enum class State { Incomplete, Complete, Invalid };

  // Complete: head() says how many bytes the head takes (leading empty lines included).
  // Invalid: error() says why (bare LF or CR, or a limit broken). Incomplete: wait for more.
  State scan(std::string_view buffer);
  size_t headBytes() const { return end_; }
  const HeadError& error() const { return error_; }
  // True once any byte of a request (not only leading empty lines) has been seen.
  bool started() const { return position_ > skipped_; }

 private:
  State fail(int status, std::string reason, std::string message);
  State endOfLine(std::string_view buffer);
  State checkOpenLine(std::string_view buffer, bool ended);

  size_t position_ = 0;   // next byte to look at
  size_t lineStart_ = 0;  // first byte of the current line
  size_t skipped_ = 0;    // leading empty lines (RFC 9112 2.2 lets a server ignore them)
  size_t lines_ = 0;      // complete lines of the head so far
  size_t end_ = 0;
  HeadError error_;
};

}  // namespace wxb
