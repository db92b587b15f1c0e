// Stored text is cut by UTF-8 characters, never inside one (store/db/statement.h).
#include <boost/test/unit_test.hpp>

#include "store/db/statement.h"

using namespace wxb;

BOOST_AUTO_TEST_SUITE(statement_text)

BOOST_AUTO_TEST_CASE(short_text_is_kept_whole) {
  BOOST_TEST(cutToChars("abc", 3) == "abc");
  BOOST_TEST(cutToChars("", 0) == "");
  BOOST_TEST(cutToChars("最新", 2) == "最新");
}

BOOST_AUTO_TEST_CASE(long_text_is_cut_by_characters_not_bytes) {
  BOOST_TEST(cutToChars("abcdef", 4) == "abcd");
  // Three bytes a character: two characters are six bytes, and the third is never split.
  BOOST_TEST(cutToChars("最新的消息", 2) == "最新");
  BOOST_TEST(cutToChars("a最b", 2) == "a最");
  BOOST_TEST(cutToChars("😀😀", 1) == "😀");
}

BOOST_AUTO_TEST_CASE(text_parameters_are_cut_to_their_column) {
  Params params;  // holds views of the arguments, which outlive it here
  const std::string error(600, 'x');
  const std::string kept = "kept";
  params.bindAll<int64_t, Text<500>, std::string>(7, error, kept);
  BOOST_REQUIRE(params.values().size() == 3u);
  BOOST_TEST(std::get<int64_t>(params.values()[0]) == 7);
  BOOST_TEST(std::get<std::string_view>(params.values()[1]).size() == 500u);
  BOOST_TEST(std::get<std::string_view>(params.values()[2]) == "kept");
}

BOOST_AUTO_TEST_SUITE_END()
