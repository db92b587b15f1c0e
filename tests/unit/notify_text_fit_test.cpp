// Template field text: cut to 20 characters (code points, never bytes) with an ellipsis, no
// line breaks, always valid UTF-8.
#include <boost/test/unit_test.hpp>
#include <string>

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

BOOST_AUTO_TEST_CASE(free_text_takes_line_breaks_tabs_and_separators_as_sent) {
  for (const char* text : {"see you\nat 8", "a\r\nb", "tab\there", "x\xE2\x80\xA8y", "\x7F", ""}) {
    BOOST_TEST(!freeTextProblem(text, 256).has_value(), text);
  }
  // 256 characters of three bytes each are 256 characters.
  std::string han;
  for (int i = 0; i < 256; ++i) han += "\xE5\xA5\xBD";
  BOOST_TEST(!freeTextProblem(han, 256).has_value());
}

BOOST_AUTO_TEST_CASE(free_text_problems_name_the_real_reason) {
  BOOST_TEST(*freeTextProblem(std::string(257, 'x'), 256) ==
             "must be at most 256 characters (got 257)");
  BOOST_TEST(*freeTextProblem(std::string("ab\0c", 4), 256) ==
             "must not contain the NUL character (U+0000 at character 3)");
  BOOST_TEST(*freeTextProblem("ok\xFF", 256) ==
             "must be valid UTF-8 (byte 0xFF at character 3 is not)");
}

BOOST_AUTO_TEST_CASE(identifiers_refuse_control_characters_saying_which_and_where) {
  BOOST_TEST(!identifierProblem("order 42: \xE5\xA5\xBD", 64).has_value());
  BOOST_TEST(*identifierProblem("ev\n1", 64) ==
             "must not contain control characters (U+000A at character 3)");
  BOOST_TEST(*identifierProblem("a\xE2\x80\xA8", 64) ==
             "must not contain control characters (U+2028 at character 2)");
  BOOST_TEST(*identifierProblem("\xC2\x85", 64) ==
             "must not contain control characters (U+0085 at character 1)");
  BOOST_TEST(*identifierProblem("", 64) == "must not be empty");
  BOOST_TEST(*identifierProblem(std::string(65, 'e'), 64) ==
             "must be at most 64 characters (got 65)");
}

BOOST_AUTO_TEST_CASE(a_key_may_hold_spaces_but_not_end_in_one) {
  BOOST_TEST(!trailingSpaceProblem(" order 42").has_value());
  BOOST_TEST(!trailingSpaceProblem("order\t").has_value());  // a tab is not padded
  BOOST_TEST(trailingSpaceProblem("order 42 ").value_or("").starts_with("must not end in a space"));
  BOOST_TEST(identifierProblem("ev 7 ", 64).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
