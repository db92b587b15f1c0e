// Fuzz target: the chunked request body decoder (ChunkedBody). Input: a byte choosing the body
// limit, one choosing how the bytes arrive, then the bytes after the head. The decoder is fed
// the way the server feeds it: the whole buffer so far, each time more has arrived.
// Properties: the verdict, the body and the bytes consumed do not depend on how the bytes
// arrived; a decoded body stays within the limit and consumes no more than was sent.
#include <string>

#include "bridge/http/chunked_body.h"
#include "fuzz/fuzz_input.h"

namespace {

using wxb::ChunkedBody;

struct Outcome {
  ChunkedBody::State state;
  std::string body;
  size_t consumed;
};

Outcome decode(std::string_view wire, size_t limit, size_t step) {
  ChunkedBody decoder(limit);
  Outcome out{ChunkedBody::State::NeedMore, {}, 0};
  for (size_t end = step;; end += step) {
    out.state = decoder.feed(wire.substr(0, std::min(end, wire.size())), out.body);
    if (out.state != ChunkedBody::State::NeedMore || end >= wire.size()) break;
  }
  out.consumed = decoder.consumed();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wxb::fuzz::FuzzInput in(data, size);
  static const size_t limits[] = {0, 1, 7, 64, 1000, 1 << 20};
  size_t limit = limits[in.choice(6)];
  size_t step = 1 + in.byte() % 32;
  std::string_view wire = in.rest();
  Outcome once = decode(wire, limit, wire.size() + 1);
  Outcome stepped = decode(wire, limit, step);
  FUZZ_CHECK(once.state == stepped.state, "the same verdict however the bytes arrive");
  if (once.state != ChunkedBody::State::Done) return 0;
  FUZZ_CHECK(once.body == stepped.body && once.consumed == stepped.consumed,
             "the same body however the bytes arrive");
  FUZZ_CHECK(once.body.size() <= limit, "a body within the limit");
  FUZZ_CHECK(once.consumed <= wire.size(), "no byte consumed that was not sent");
  return 0;
}
