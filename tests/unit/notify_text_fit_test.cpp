// Template field text: cut to 20 characters (code points, never bytes) with an ellipsis, no
// line breaks, always valid UTF-8.
#include <boost/test/unit_test.hpp>

#include "notify/text_fit.h"

namespace wxb {

BOOST_AUTO_TEST_SUITE(notify_text_fit)

BOOST_AUTO_TEST_CASE(short_text_is_kept_as_it_is) {
  BOOST_TEST(fitTemplateValue("chat messages: 3") == "chat messages: 3");
  BOOST_TEST(fitTemplateValue("") == "");
  BOOST_TEST(fitTemplateValue("12345678901234567890") == "12345678901234567890");
}

BOOST_AUTO_TEST_CASE(long_text_is_cut_to_nineteen_characters_and_an_ellipsis) {
  std::string fitted = fitTemplateValue("chat messages: 3, invitations: 1");
  BOOST_TEST(fitted == "chat messages: 3, i\xE2\x80\xA6");
  BOOST_TEST(countCodePoints(fitted) == 20u);
  BOOST_TEST(fitTemplateValue("123456789012345678901") == "1234567890123456789\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(chinese_text_counts_characters_not_bytes) {
  // 11 CJK characters are 33 bytes but only 11 characters: kept whole.
  std::string eleven = "你有三条未读消息和邀请";
  BOOST_TEST(fitTemplateValue(eleven) == eleven);
  std::string long_ = "你有三条未读的聊天消息和一条新的活动邀请请尽快查看哦";  // 26 characters
  std::string fitted = fitTemplateValue(long_);
  BOOST_TEST(countCodePoints(fitted) == 20u);
  BOOST_TEST(fitted == "你有三条未读的聊天消息和一条新的活动邀\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(a_cut_never_splits_a_multibyte_character) {
  std::string mixed = "abc😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀";  // 4-byte emoji
  std::string fitted = fitTemplateValue(mixed);
  BOOST_TEST(countCodePoints(fitted) == 20u);
  BOOST_TEST(fitted == "abc😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\xE2\x80\xA6");
  BOOST_TEST(cleanText(fitted) == fitted);  // still valid UTF-8
}

BOOST_AUTO_TEST_CASE(line_breaks_and_control_characters_become_spaces) {
  BOOST_TEST(fitTemplateValue("one\ntwo\r\nsix\rten\tx") == "one two six ten x");
  BOOST_TEST(fitTemplateValue("a\xE2\x80\xA8"
                              "b\xC2\x85"
                              "c") == "a b c");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_replacement_characters) {
  BOOST_TEST(cleanText("ok\xFF\xC3") == "ok\xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST(cleanText("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  BOOST_TEST(cleanText("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
}

BOOST_AUTO_TEST_CASE(the_ellipsis_counts_as_one_character_of_the_limit) {
  BOOST_TEST(fitTemplateValue("abcdef", 5) == "abcd\xE2\x80\xA6");
  BOOST_TEST(fitTemplateValue("abcde", 5) == "abcde");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
