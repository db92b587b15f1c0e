// Fuzz target: the HTTP request head as bytes arrive (HeadScanner) and its strict parse
// (parseRequestHead). Input: a byte choosing where the bytes are split into arrivals, then the
// bytes on the wire. Properties: the head ends at the same byte however the bytes arrive; a
// refusal carries a 4xx/5xx status, a reason and a message of printable ASCII (never raw
// bytes, so nothing can be injected into the answer); an accepted head has one framing.
#include <string>

#include "bridge/http/request_head.h"
#include "fuzz/fuzz_input.h"

namespace {

using wxb::HeadScanner;

bool printable(const std::string& text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return !text.empty();
}

// Scans `wire` as it would arrive in pieces of `step` bytes; the final state.
HeadScanner::State scanInSteps(std::string_view wire, size_t step, HeadScanner& scanner) {
  HeadScanner::State state = HeadScanner::State::Incomplete;
  for (size_t end = step; state == HeadScanner::State::Incomplete; end += step) {
    state = scanner.scan(wire.substr(0, std::min(end, wire.size())));
    if (end >= wire.size()) break;
  }
  return state;
}

void checkParsed(std::string_view head) {
  auto parsed = wxb::parseRequestHead(head);
  if (!parsed) {
    const auto& e = parsed.error();
    FUZZ_CHECK(e.status >= 400 && e.status <= 505, "a refusal is a 4xx or 5xx");
    FUZZ_CHECK(printable(e.reason) && printable(e.message), "a refusal says why, printably");
    return;
  }
  FUZZ_CHECK(!parsed->method.empty() && !parsed->target.empty(), "a request line was read");
  // RFC 9112 3.2: an HTTP/1.1 request has one Host; HTTP/1.0 may have none.
  FUZZ_CHECK(parsed->count("host") == 1 || (parsed->minorVersion == 0 && !parsed->count("host")),
             "one Host");
  FUZZ_CHECK(parsed->count("authorization") <= 1, "at most one Authorization");
  if (parsed->framing == wxb::BodyFraming::Chunked) {
    FUZZ_CHECK(parsed->count("content-length") == 0, "never chunked and a length");
  }
  if (parsed->framing == wxb::BodyFraming::Length) {
    FUZZ_CHECK(parsed->count("content-length") == 1, "one Content-Length");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wxb::fuzz::FuzzInput in(data, size);
  size_t step = 1 + in.byte() % 64;
  std::string_view wire = in.rest();
  HeadScanner whole, pieces;
  HeadScanner::State once = whole.scan(wire);
  HeadScanner::State stepped = scanInSteps(wire, step, pieces);
  FUZZ_CHECK(once == stepped, "the same verdict however the bytes arrive");
  if (once == HeadScanner::State::Invalid) {
    FUZZ_CHECK(whole.error().status >= 400 && printable(whole.error().message),
               "a refused head says why");
    return 0;
  }
  if (once != HeadScanner::State::Complete) return 0;
  FUZZ_CHECK(whole.headBytes() == pieces.headBytes() && whole.headBytes() <= wire.size(),
             "the head ends at the same byte");
  checkParsed(wire.substr(0, whole.headBytes()));
  return 0;
}
