// Tolerant decoding of platform answers: raw control characters and bytes that are not UTF-8
// inside JSON strings are repaired, everything else is left as the platform sent it.
#include <boost/test/unit_test.hpp>
#include <string>

#include "wechat/lenient_json.h"

using wxb::parseLenientJson;
using wxb::repairJsonText;

BOOST_AUTO_TEST_SUITE(wechat_lenient_json)

BOOST_AUTO_TEST_CASE(raw_control_characters_in_strings_become_escapes) {
  BOOST_TEST(repairJsonText("{\"remark\":\"a\x14z\"}") == R"({"remark":"a\u0014z"})");
  BOOST_TEST(repairJsonText("{\"r\":\"line\nbreak\ttab\"}") ==
             R"({"r":"line\u000abreak\u0009tab"})");
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_become_the_replacement_character) {
  // A lone continuation byte, 0xFF, a truncated sequence and an overlong '/'.
  BOOST_TEST(repairJsonText("[\"a\x80\xFF\xE4\xB8\"]") ==
             "[\"a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"]");
  BOOST_TEST(repairJsonText("[\"\xC0\xAF\"]") == "[\"\xEF\xBF\xBD\xEF\xBF\xBD\"]");
  // Valid UTF-8 stays as it is.
  BOOST_TEST(repairJsonText("[\"\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80\"]") ==
             "[\"\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80\"]");
}

BOOST_AUTO_TEST_CASE(escapes_and_text_outside_strings_are_kept) {
  const std::string text = "{\n  \"a\\\"b\": \"c\\\\\",\t\"n\": [1, 2.5, true, null]\r\n}";
  BOOST_TEST(repairJsonText(text) == text);
  // A backslash before a raw control byte is not an escape: both are kept as text.
  BOOST_TEST(repairJsonText("[\"a\\\x01\"]") == R"(["a\\\u0001"])");
}

BOOST_AUTO_TEST_CASE(parse_repairs_only_what_a_strict_reader_refuses) {
  bool repaired = true;
  auto clean = parseLenientJson(R"({"remark":"ok"})", repaired);
  BOOST_TEST(!repaired);
  BOOST_TEST(clean["remark"] == "ok");
  auto dirty = parseLenientJson("{\"remark\":\"see \x14 you \x80\xFF\",\"subscribe\":1}", repaired);
  BOOST_TEST(repaired);
  BOOST_REQUIRE(dirty.is_object());
  BOOST_TEST(dirty["remark"] == "see \x14 you \xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST(dirty["subscribe"] == 1);
  BOOST_TEST(dirty.dump().size() > 0u);  // valid UTF-8 now: the encoder does not throw
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_stays_refused) {
  bool repaired = true;
  BOOST_TEST(parseLenientJson("<html>502</html>", repaired).is_discarded());
  BOOST_TEST(!repaired);
  BOOST_TEST(parseLenientJson("{\"a\":\"\x14", repaired).is_discarded());
  BOOST_TEST(parseLenientJson("", repaired).is_discarded());
}

BOOST_AUTO_TEST_SUITE_END()
