#include "bridge/http/chunked_body.h"

#include <algorithm>

namespace wxb {

namespace {

constexpr size_t kMaxLineBytes = 4096;     // a chunk-size line with its extensions
constexpr size_t kMaxTrailerBytes = 8192;  // all trailer fields together
constexpr size_t kMaxSizeDigits = 16;      // fits in 64 bits
// The framing (size lines, extensions, CRLFs, trailers) may take as many bytes as the body limit
// and this much more: the connection holds a body's wire bytes until it is whole.
constexpr size_t kFramingAllowance = 65536;

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// No control characters but HTAB (so no bare CR or LF either).
bool isCleanLine(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

}  // namespace

ChunkedBody::State ChunkedBody::feed(std::string_view input, std::string& body) {
  while (true) {
    std::string_view rest = input.substr(std::min(consumed_, input.size()));
    if (part_ == Part::Data) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(left_, rest.size()));
      body.append(rest.substr(0, n));
      consumed_ += n;
      left_ -= n;
      if (left_ > 0) return State::NeedMore;
      part_ = Part::DataEnd;
      continue;
    }
    if (part_ == Part::DataEnd) {
      if (rest.size() < 2) return State::NeedMore;
      if (!rest.starts_with("\r\n")) return State::Invalid;
      consumed_ += 2;
      framing_ += 2;
      part_ = Part::SizeLine;
      continue;
    }
    size_t end = rest.find("\r\n");
    if (end == std::string_view::npos) {
      return rest.size() > kMaxLineBytes ? State::Invalid : State::NeedMore;
    }
    consumed_ += end + 2;
    framing_ += end + 2;
    if (framing_ > maxBodyBytes_ + kFramingAllowance) return State::TooLarge;
    std::string_view line = rest.substr(0, end);
    State state = part_ == Part::SizeLine ? sizeLine(line, body) : trailerLine(line);
    if (state != State::NeedMore) return state;
  }
}

ChunkedBody::State ChunkedBody::sizeLine(std::string_view line, const std::string& body) {
  if (line.size() > kMaxLineBytes || !isCleanLine(line)) return State::Invalid;
  uint64_t size = 0;
  size_t digits = 0;
  for (; digits < line.size() && hexDigit(line[digits]) >= 0; ++digits) {
    if (digits == kMaxSizeDigits) return State::Invalid;
    size = size * 16 + static_cast<uint64_t>(hexDigit(line[digits]));
  }
  std::string_view extensions = line.substr(digits);
  while (!extensions.empty() && (extensions.front() == ' ' || extensions.front() == '\t')) {
    extensions.remove_prefix(1);
  }
  if (digits == 0 || (!extensions.empty() && extensions.front() != ';')) return State::Invalid;
  if (size > maxBodyBytes_ - std::min(body.size(), maxBodyBytes_)) return State::TooLarge;
  part_ = size == 0 ? Part::Trailer : Part::Data;
  left_ = size;
  return State::NeedMore;
}

ChunkedBody::State ChunkedBody::trailerLine(std::string_view line) {
  if (line.empty()) return State::Done;
  trailerBytes_ += line.size();
  if (trailerBytes_ > kMaxTrailerBytes || !isCleanLine(line) ||
      line.find(':') == std::string_view::npos) {
    return State::Invalid;
  }
  return State::NeedMore;
}

}  // namespace wxb
