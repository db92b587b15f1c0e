// ChunkedBody: a chunked request body decoded as it arrives, within the body limit, with every
// malformation refused rather than guessed at (a guess is where request smuggling starts).
#include <boost/test/unit_test.hpp>
#include <string>

#include "bridge/http/chunked_body.h"

using wxb::ChunkedBody;
using State = wxb::ChunkedBody::State;

namespace {

// Decodes `wire` fed in pieces of `step` bytes; the final state and the body.
std::pair<State, std::string> decode(const std::string& wire, size_t step = 1 << 20,
                                     size_t limit = 1024) {
  ChunkedBody chunked(limit);
  std::string body;
  State state = State::NeedMore;
  for (size_t n = std::min(step, wire.size()); state == State::NeedMore; n += step) {
    state = chunked.feed(std::string_view(wire).substr(0, std::min(n, wire.size())), body);
    if (n >= wire.size() && state == State::NeedMore) break;
  }
  return {state, body};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_chunked_body)

BOOST_AUTO_TEST_CASE(chunks_extensions_and_trailers_decode_to_the_data) {
  std::string wire = "5;name=value\r\nhello\r\nA \r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
  for (size_t step : {1u, 3u, 1000u}) {
    BOOST_TEST_CONTEXT("step " << step) {
      auto [state, body] = decode(wire, step);
      BOOST_TEST((state == State::Done));
      BOOST_TEST(body == "hello, world!!!");
    }
  }
  ChunkedBody chunked(1024);
  std::string body;
  BOOST_TEST((chunked.feed(wire, body) == State::Done));
  BOOST_TEST(chunked.consumed() == wire.size() - 4);  // "NEXT" is the next request
}

BOOST_AUTO_TEST_CASE(an_unfinished_body_needs_more) {
  BOOST_TEST((decode("5\r\nhel").first == State::NeedMore));
  BOOST_TEST((decode("5\r\nhello\r\n0\r\n").first == State::NeedMore));
}

BOOST_AUTO_TEST_CASE(malformed_framing_is_invalid) {
  for (std::string wire : {"x\r\n", "\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n",
                           "5 5\r\nhello\r\n0\r\n\r\n", "-5\r\n", "11111111111111111\r\n",
                           "0\r\nno colon\r\n\r\n", "5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n"}) {
    BOOST_TEST_CONTEXT(wire) { BOOST_TEST((decode(wire).first == State::Invalid)); }
  }
}

BOOST_AUTO_TEST_CASE(a_body_over_the_limit_stops_at_the_size_that_breaks_it) {
  BOOST_TEST((decode("400\r\n", 1 << 20, 1024).first == State::NeedMore));  // 1024: fits
  BOOST_TEST((decode("401\r\n", 1 << 20, 1024).first == State::TooLarge));
  std::string twoChunks = "200\r\n" + std::string(512, 'a') + "\r\n201\r\n";
  BOOST_TEST((decode(twoChunks, 1 << 20, 1024).first == State::TooLarge));
  BOOST_TEST((decode("ffffffffffffffff\r\n", 1 << 20, 1024).first == State::TooLarge));
}

// The connection keeps a chunked body's wire bytes until it is whole, so the framing (size lines,
// extensions, CRLFs, trailers) is bounded too, not only the data: one byte a chunk behind 4 KB
// of extension would otherwise make a body of 1 KB take 4 MB.
BOOST_AUTO_TEST_CASE(framing_far_larger_than_the_data_is_too_large) {
  const std::string chunk = "1;" + std::string(4000, 'x') + "\r\na\r\n";
  std::string wire;
  for (int i = 0; i < 1000; ++i) wire += chunk;
  wire += "0\r\n\r\n";
  ChunkedBody chunked(1024);
  std::string body;
  BOOST_TEST((chunked.feed(wire, body) == State::TooLarge));
  BOOST_TEST(chunked.consumed() <= 1024u + 65536u + 4096u + 1024u);
}

BOOST_AUTO_TEST_CASE(a_body_at_the_limit_in_one_byte_chunks_is_still_taken) {
  std::string wire;
  for (int i = 0; i < 1024; ++i) wire += "1\r\na\r\n";
  wire += "0\r\nX-Checksum: 1\r\n\r\n";
  auto [state, body] = decode(wire, 7);
  BOOST_TEST((state == State::Done));
  BOOST_TEST(body == std::string(1024, 'a'));
}

BOOST_AUTO_TEST_SUITE_END()
