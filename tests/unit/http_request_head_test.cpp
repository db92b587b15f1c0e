// parseRequestHead and HeadScanner: the strict RFC 9112 reading of a request head that keeps a
// proxy in front of serve and serve itself from disagreeing about where a request ends. Every
// refusal is checked for its status and reason, and each rule has an accepted neighbour, so a
// rule that refuses too much fails as well as one that refuses too little.
#include <boost/test/unit_test.hpp>
#include <string>

#include "bridge/http/request_head.h"

using wxb::BodyFraming;
using wxb::HeadScanner;
using wxb::parseRequestHead;
using wxb::RequestHead;

namespace {

std::string head(const std::string& requestLine, const std::string& fields = "Host: a\r\n") {
  return requestLine + "\r\n" + fields + "\r\n";
}

RequestHead accepted(const std::string& text) {
  auto parsed = parseRequestHead(text);
  BOOST_REQUIRE_MESSAGE(parsed, "refused: " << (parsed ? "" : parsed.error().message));
  return *parsed;
}

// "STATUS reason" of the refusal.
std::string refused(const std::string& text) {
  auto parsed = parseRequestHead(text);
  BOOST_REQUIRE_MESSAGE(!parsed, "accepted: " << text);
  return std::to_string(parsed.error().status) + " " + parsed.error().reason;
}

// Feeds `text` one byte at a time, as the slowest client would.
HeadScanner::State scanByteByByte(const std::string& text, HeadScanner& scanner) {
  HeadScanner::State state = HeadScanner::State::Incomplete;
  for (size_t n = 1; n <= text.size() && state == HeadScanner::State::Incomplete; ++n) {
    state = scanner.scan(std::string_view(text).substr(0, n));
  }
  return state;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_request_head)

BOOST_AUTO_TEST_CASE(a_plain_request_is_read_with_its_path_query_and_fields) {
  auto h = accepted(head("GET /v1/accounts/unA?x=1&y HTTP/1.1",
                         "Host: a\r\nX-Forwarded-For: 10.0.0.1\r\nx-forwarded-for:  1.2.3.4 \r\n"));
  BOOST_TEST(h.method == "GET");
  BOOST_TEST(h.path == "/v1/accounts/unA");
  BOOST_TEST(h.query == "x=1&y");
  BOOST_TEST(h.minorVersion == 1);
  BOOST_TEST((h.framing == BodyFraming::None));
  BOOST_TEST(h.keepAlive);
  BOOST_TEST(h.joined("x-forwarded-for") == "10.0.0.1, 1.2.3.4");
  BOOST_TEST(accepted(head("GET http://a.example/healthz HTTP/1.1")).path == "/healthz");
}

BOOST_AUTO_TEST_CASE(versions_other_than_http_1_are_505_and_malformed_ones_400) {
  BOOST_TEST(accepted(head("GET / HTTP/1.0", "")).minorVersion == 0);
  BOOST_TEST(accepted(head("GET / HTTP/1.2")).minorVersion == 1);  // answered as 1.1
  BOOST_TEST(refused(head("GET / HTTP/2.0")) == "505 version");
  BOOST_TEST(refused(head("GET / HTTP/0.9")) == "505 version");
  BOOST_TEST(refused(head("GET /healthz FOO")) == "400 version");
  BOOST_TEST(refused(head("GET / http/1.1")) == "400 version");
  BOOST_TEST(refused(head("GET / HTTP/1.10")) == "400 version");
}

BOOST_AUTO_TEST_CASE(the_request_line_is_three_parts_with_single_spaces) {
  BOOST_TEST(refused(head("GET  / HTTP/1.1")) == "400 target");
  BOOST_TEST(refused(head("GET / HTTP/1.1 ")) == "400 version");
  BOOST_TEST(refused(head("GET /a b HTTP/1.1")) == "400 version");
  BOOST_TEST(refused(head("GET /a\tb HTTP/1.1")) == "400 target");
  BOOST_TEST(refused(head("GET /a#f HTTP/1.1")) == "400 target");
  BOOST_TEST(refused(head("GET a HTTP/1.1")) == "400 target");
  BOOST_TEST(refused(head("G(T / HTTP/1.1")) == "400 request_line");
  BOOST_TEST(refused(head("GET")) == "400 request_line");
}

BOOST_AUTO_TEST_CASE(field_lines_are_name_colon_value_without_folding_or_controls) {
  BOOST_TEST(refused(head("GET / HTTP/1.1", "Host: a\r\nX : b\r\n")) == "400 field");
  BOOST_TEST(refused(head("GET / HTTP/1.1", "Host: a\r\nX: b\r\n  c\r\n")) == "400 field");
  BOOST_TEST(refused(head("GET / HTTP/1.1", "Host: a\r\nNoColon\r\n")) == "400 field");
  std::string nul = "Host: a\r\nX: a";
  nul += '\0';
  BOOST_TEST(refused(head("GET / HTTP/1.1", nul + "b\r\n")) == "400 field");
  BOOST_TEST(accepted(head("GET / HTTP/1.1", "Host: a\r\nX: caf\xc3\xa9\tok\r\n")).joined("x") ==
             "caf\xc3\xa9\tok");
}

BOOST_AUTO_TEST_CASE(content_length_is_one_decimal_number) {
  auto h = accepted(head("POST / HTTP/1.1", "Host: a\r\nContent-Length: 42\r\n"));
  BOOST_TEST((h.framing == BodyFraming::Length));
  BOOST_TEST(h.contentLength == 42u);
  for (std::string value : {"+3", "-1", "3 3", "3, 3", "0x10", "", "1234567890123456789"}) {
    BOOST_TEST_CONTEXT(value) {
      BOOST_TEST(refused(head("POST / HTTP/1.1", "Host: a\r\nContent-Length: " + value + "\r\n")) ==
                 "400 content_length");
    }
  }
  BOOST_TEST(
      refused(head("POST / HTTP/1.1", "Host: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n")) ==
      "400 content_length");
}

BOOST_AUTO_TEST_CASE(transfer_encoding_must_end_in_chunked_and_stand_alone) {
  auto h = accepted(head("POST / HTTP/1.1", "Host: a\r\nTransfer-Encoding: Chunked\r\n"));
  BOOST_TEST((h.framing == BodyFraming::Chunked));
  std::string te = "Host: a\r\nTransfer-Encoding: ";
  BOOST_TEST(refused(head("POST / HTTP/1.1", te + "gzip\r\n")) == "400 transfer_encoding");
  BOOST_TEST(refused(head("POST / HTTP/1.1", te + "chunked, gzip\r\n")) == "400 transfer_encoding");
  BOOST_TEST(refused(head("POST / HTTP/1.1", te + "chunked\r\nTransfer-Encoding: gzip\r\n")) ==
             "400 transfer_encoding");
  BOOST_TEST(refused(head("POST / HTTP/1.1", te + "gzip, chunked\r\n")) == "501 transfer_encoding");
  BOOST_TEST(refused(head("POST / HTTP/1.1", te + "chunked\r\nContent-Length: 3\r\n")) ==
             "400 transfer_encoding");
  BOOST_TEST(refused(head("POST / HTTP/1.0", "Transfer-Encoding: chunked\r\n")) ==
             "400 transfer_encoding");
}

BOOST_AUTO_TEST_CASE(host_and_authorization_appear_once) {
  BOOST_TEST(refused(head("GET / HTTP/1.1", "")) == "400 host");
  BOOST_TEST(refused(head("GET / HTTP/1.1", "Host: a\r\nHost: b\r\n")) == "400 host");
  BOOST_TEST(refused(head("GET / HTTP/1.1",
                          "Host: a\r\nAuthorization: Bearer x\r\n"
                          "authorization: Bearer y\r\n")) == "400 authorization");
  BOOST_TEST(accepted(head("GET / HTTP/1.0", "")).keepAlive == false);
}

BOOST_AUTO_TEST_CASE(connection_and_expect_options) {
  BOOST_TEST(!accepted(head("GET / HTTP/1.1", "Host: a\r\nConnection: Close\r\n")).keepAlive);
  BOOST_TEST(accepted(head("GET / HTTP/1.0", "Connection: keep-alive\r\n")).keepAlive);
  BOOST_TEST(
      accepted(head("POST / HTTP/1.1", "Host: a\r\nExpect: 100-Continue\r\n")).expectContinue);
  BOOST_TEST(refused(head("POST / HTTP/1.1", "Host: a\r\nExpect: 200-ok\r\n")) == "417 expect");
}

BOOST_AUTO_TEST_CASE(the_scanner_finds_the_end_of_a_head_sent_byte_by_byte) {
  std::string text = "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nBODY";
  HeadScanner scanner;
  BOOST_TEST((scanByteByByte(text, scanner) == HeadScanner::State::Complete));
  BOOST_TEST(scanner.headBytes() == text.size() - 4);
  BOOST_TEST(accepted(text.substr(0, scanner.headBytes())).path == "/");
  HeadScanner empty;
  BOOST_TEST((empty.scan("\r\n") == HeadScanner::State::Incomplete));
  BOOST_TEST(!empty.started());  // a leading empty line is not the start of a request
  BOOST_TEST((empty.scan("\r\nG") == HeadScanner::State::Incomplete));
  BOOST_TEST(empty.started());
}

BOOST_AUTO_TEST_CASE(the_scanner_refuses_bare_line_ends) {
  HeadScanner lf;
  BOOST_TEST((lf.scan("GET / HTTP/1.1\nHost: a\n\n") == HeadScanner::State::Invalid));
  BOOST_TEST(lf.error().status == 400);
  HeadScanner cr;
  BOOST_TEST((cr.scan("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n") == HeadScanner::State::Invalid));
  BOOST_TEST(cr.error().reason == "line_ending");
}

BOOST_AUTO_TEST_CASE(the_scanner_refuses_bytes_that_are_not_a_request_line_at_once) {
  HeadScanner tls;
  BOOST_TEST((tls.scan("\x16\x03\x01") == HeadScanner::State::Invalid));
  BOOST_TEST(tls.error().reason == "request_line");
  HeadScanner space;
  BOOST_TEST((space.scan(" GET") == HeadScanner::State::Invalid));
  HeadScanner longMethod;
  BOOST_TEST((longMethod.scan(std::string(33, 'G')) == HeadScanner::State::Invalid));
  HeadScanner ended;  // a first line without a space cannot become a request line
  BOOST_TEST((ended.scan("GE\r\n/x\r\n") == HeadScanner::State::Invalid));
  BOOST_TEST(ended.error().reason == "request_line");
  HeadScanner slowly;  // the same verdict when the CR arrives alone (found by fuzzing)
  BOOST_TEST((scanByteByByte("GE\r\n/x\r\n", slowly) == HeadScanner::State::Invalid));
  BOOST_TEST(slowly.error().reason == "request_line");
  HeadScanner partial;  // a method still arriving is fine
  BOOST_TEST((partial.scan(std::string(32, 'G')) == HeadScanner::State::Incomplete));
  BOOST_TEST((partial.scan(std::string(32, 'G') + " /\x01") == HeadScanner::State::Incomplete));
}

BOOST_AUTO_TEST_CASE(the_scanner_refuses_oversized_heads_before_they_end) {
  HeadScanner uri;
  BOOST_TEST((uri.scan("GET /" + std::string(wxb::kMaxRequestLineBytes, 'u')) ==
              HeadScanner::State::Invalid));
  BOOST_TEST(uri.error().status == 414);
  HeadScanner whole;  // the same, arriving with its version and CRLF
  BOOST_TEST((whole.scan("GET /" + std::string(wxb::kMaxRequestLineBytes, 'u') + " HTTP/1.1\r\n") ==
              HeadScanner::State::Invalid));
  BOOST_TEST(whole.error().status == 414);
  HeadScanner junk;
  BOOST_TEST(
      (junk.scan(std::string(wxb::kMaxRequestLineBytes + 1, 'x')) == HeadScanner::State::Invalid));
  BOOST_TEST(junk.error().status == 400);
  HeadScanner field;
  BOOST_TEST((field.scan("GET / HTTP/1.1\r\nX: " + std::string(wxb::kMaxFieldLineBytes, 'b')) ==
              HeadScanner::State::Invalid));
  BOOST_TEST(field.error().status == 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i <= wxb::kMaxFields; ++i) many += "X-" + std::to_string(i) + ": a\r\n";
  HeadScanner fields;
  BOOST_TEST((fields.scan(many) == HeadScanner::State::Invalid));
  BOOST_TEST(fields.error().status == 431);
  HeadScanner atLimit;  // exactly kMaxFields fields is fine
  std::string limit = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i < wxb::kMaxFields; ++i) limit += "X-" + std::to_string(i) + ": a\r\n";
  BOOST_TEST((atLimit.scan(limit + "\r\n") == HeadScanner::State::Complete));
}

BOOST_AUTO_TEST_SUITE_END()
