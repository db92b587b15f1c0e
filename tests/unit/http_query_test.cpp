// parseQuery: the decoded query parameters a handler sees next to the raw query string.
#include <boost/test/unit_test.hpp>

#include "bridge/http/api_types.h"
#include "bridge/http/request_pipeline.h"

namespace wxb {

BOOST_AUTO_TEST_SUITE(http_query)

BOOST_AUTO_TEST_CASE(pairs_are_decoded_by_name) {
  auto q = parseQuery("signature=ab%2Bc&timestamp=1700000000&nonce=42&note=a+b&empty=&bare");
  BOOST_TEST(q.at("signature") == "ab+c");
  BOOST_TEST(q.at("timestamp") == "1700000000");
  BOOST_TEST(q.at("nonce") == "42");
  BOOST_TEST(q.at("note") == "a b");
  BOOST_TEST(q.at("empty") == "");
  BOOST_TEST(q.at("bare") == "");
  BOOST_TEST(q.size() == 6u);
}

BOOST_AUTO_TEST_CASE(a_repeated_name_keeps_its_first_value) {
  BOOST_TEST(parseQuery("a=1&a=2").at("a") == "1");
}

BOOST_AUTO_TEST_CASE(the_first_repeated_name_is_found_decoded) {
  BOOST_TEST(!repeatedQueryName("a=1&b=2&c").has_value());
  BOOST_TEST(repeatedQueryName("a=1&b=2&b=3&a=4").value_or("") == "b");
  BOOST_TEST(repeatedQueryName("a%62=1&ab=2").value_or("") == "ab");
}

BOOST_AUTO_TEST_CASE(bad_encoding_leaves_only_that_pair_out) {
  auto q = parseQuery("a=%zz&b=2&%=x&c=%4");
  BOOST_TEST(q.size() == 1u);
  BOOST_TEST(q.at("b") == "2");
}

BOOST_AUTO_TEST_CASE(empty_pieces_are_skipped) {
  BOOST_TEST(parseQuery("").empty());
  BOOST_TEST(parseQuery("&&").empty());
  BOOST_TEST(parseQuery("&x=1&").at("x") == "1");
}

// What a handler gets from the server: the route matched on the path alone, the query as sent
// and decoded (the callback's signature is over the parameters as the platform sent them).
BOOST_AUTO_TEST_CASE(the_pipeline_hands_the_handler_the_raw_and_the_parsed_query) {
  Router router;
  ApiRequest seen;
  router.add(Route{"GET", "/echo", Access::Public, [&seen](const ApiRequest& r) {
                     seen = r;
                     return apiJson(200, nlohmann::json::object());
                   }});
  HttpSettings settings;
  Metrics metrics;
  RequestPipeline pipeline(settings, router, metrics);
  auto head = parseRequestHead("GET /echo?nonce=4%202&sig=a+b&nonce=9 HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_REQUIRE(head.has_value());
  Admission admitted = pipeline.admit(*head, "127.0.0.1");
  BOOST_REQUIRE(!admitted.early);
  BOOST_TEST(pipeline.run(admitted).status == 200);
  BOOST_TEST(seen.path == "/echo");
  BOOST_TEST(seen.rawQuery == "nonce=4%202&sig=a+b&nonce=9");
  BOOST_TEST(seen.query.at("nonce") == "4 2");
  BOOST_TEST(seen.query.at("sig") == "a b");
  BOOST_TEST(seen.query.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
