// Stored text is cut by UTF-8 characters, never inside one (store/db/statement.h).
#include <boost/test/unit_test.hpp>

#include "store/db/statement.h"
#include "wechat/utf8.h"

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

BOOST_AUTO_TEST_CASE(no_characters_is_empty_text) {
  BOOST_TEST(cutToChars("abc", 0) == "");
  BOOST_TEST(cutToChars("最新", 0) == "");
}

// MySQL refuses text that is not UTF-8 (1366), SQLite stores it: a text parameter is made valid
// first, so both store the same, each byte that starts no character becoming U+FFFD.
BOOST_AUTO_TEST_CASE(text_parameters_that_are_not_utf8_are_made_valid_before_the_cut) {
  const std::string latin1 = "caf\xe9 ok";     // a Latin-1 byte in a platform's error
  const std::string strays(600, '\x80');       // continuation bytes that start nothing
  const std::string truncated = "ab\xe6\x9c";  // a character cut off by a byte cut
  const std::string overlong = "\xc0\xaf";     // '/' in two bytes
  Params params;
  params.bindAll<Text<20>, Text<500>, Text<20>, Text<20>, Text<2>>(latin1, strays, truncated,
                                                                   overlong, latin1);
  const auto text = [&](size_t i) { return std::get<std::string_view>(params.values()[i]); };
  const std::string replacement = "\xef\xbf\xbd";  // U+FFFD
  BOOST_TEST(text(0) == "caf" + replacement + " ok");
  std::string fiveHundred;
  for (int i = 0; i < 500; ++i) fiveHundred += replacement;
  BOOST_TEST(text(1) == fiveHundred);
  BOOST_TEST(text(2) == "ab" + replacement + replacement);
  BOOST_TEST(text(3) == replacement + replacement);
  BOOST_TEST(text(4) == "ca");
}

BOOST_AUTO_TEST_SUITE_END()
