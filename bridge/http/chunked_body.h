// ChunkedBody: decodes a request body sent with Transfer-Encoding: chunked (RFC 9112 7.1) as its
// bytes arrive, keeping at most the body limit: chunk sizes are hex digits (at most 16), chunk
// extensions are skipped, trailer fields are read and dropped, and every line ends in CRLF. A
// size that would take the body past the limit stops decoding at once (the server answers 413),
// and so does framing (size lines, extensions, CRLFs, trailers) longer than the limit + 64 KiB,
// since the caller keeps the wire bytes until the body is whole.
// The server's connection loop is the caller (http_connection.cpp). Thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wxb {

class ChunkedBody {
 public:
  enum class State { NeedMore, Done, Invalid, TooLarge };

  explicit ChunkedBody(size_t maxBodyBytes) : maxBodyBytes_(maxBodyBytes) {}

  // Decodes what it can of `input` (the bytes after those consumed() already counts), appending
  // the data to `body`. Done: the last chunk and the trailers have been read, and consumed() is
  // the body's length on the wire.
  State feed(std::string_view input, std::string& body);
  size_t consumed() const { return consumed_; }

 private:
  enum class Part { SizeLine, Data, DataEnd, Trailer };
  // Each returns NeedMore to continue with the next part, or the final state.
  State sizeLine(std::string_view line, const std::string& body);
  State trailerLine(std::string_view line);

  size_t maxBodyBytes_;
  Part part_ = Part::SizeLine;
  uint64_t left_ = 0;  // data bytes of the current chunk still to come
  size_t consumed_ = 0;
  size_t trailerBytes_ = 0;
  size_t framing_ = 0;  // consumed bytes that are not data
};

}  // namespace wxb
