// The shapes of what the platform hands out, checked in one place each: openids and unionids
// (isValidWechatId: 1-64 of A-Z a-z 0-9 _ -) and opaque strings such as access_tokens and
// wx.login codes (isOpaqueToken: printable ASCII without spaces, bounded).
#include <boost/test/unit_test.hpp>

#include "wechat/wechat_types.h"

namespace wxb {

BOOST_AUTO_TEST_SUITE(wechat_ids)

BOOST_AUTO_TEST_CASE(openids_and_unionids_are_1_to_64_url_safe_characters) {
  BOOST_TEST(isValidWechatId("oAbC-12_xyz"));
  BOOST_TEST(isValidWechatId(std::string(64, 'a')));
  BOOST_TEST(!isValidWechatId(std::string(65, 'a')));
  BOOST_TEST(!isValidWechatId(""));
  for (std::string_view bad : {"o a", "o/a", "o%20", "o.a", "o+a", "\xe4\xb8\xad"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!isValidWechatId(bad)); }
  }
  BOOST_TEST(!isValidWechatId(std::string_view("oa\0b", 4)));
}

BOOST_AUTO_TEST_CASE(opaque_tokens_are_printable_ascii_without_spaces_and_bounded) {
  BOOST_TEST(isOpaqueToken("081aBc~!*()'=/+", 128));
  BOOST_TEST(isOpaqueToken(std::string(128, 'x'), 128));
  BOOST_TEST(!isOpaqueToken(std::string(129, 'x'), 128));
  BOOST_TEST(!isOpaqueToken("", 128));
  for (std::string_view bad : {"a b", "a\tb", "a\nb", "a\x7f", "\xe4\xb8\xad"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!isOpaqueToken(bad, 128)); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
