// The value rules of subscribe-message data keys: every case of the shared table
// (support/subscribe_value_cases.h) is sent as it is, cut, or refused with a sentence naming the
// rule; and the rules wxbridge keeps stricter than the platform's table says.
#include <boost/test/unit_test.hpp>

#include "notify/subscribe_values.h"
#include "notify/text_fit.h"
#include "support/subscribe_value_cases.h"

namespace wxb {

using test::SubscribeValueCase;
using Outcome = SubscribeValueCase::Outcome;

BOOST_AUTO_TEST_SUITE(notify_subscribe_values)

BOOST_AUTO_TEST_CASE(every_case_of_the_shared_table_is_sent_cut_or_refused_as_listed) {
  for (const SubscribeValueCase& c : test::subscribeValueCases()) {
    BOOST_TEST_CONTEXT(c.key << " = '" << c.input << "'") {
      auto fitted = fitSubscribeValue(c.key, c.input);
      if (c.outcome == Outcome::Refused) {
        BOOST_TEST(!fitted.has_value());
        continue;
      }
      BOOST_REQUIRE_MESSAGE(fitted.has_value(), fitted.error());
      BOOST_TEST(fitted->value == c.sent);
      BOOST_TEST(fitted->cut == (c.outcome == Outcome::Cut));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_cut_thing_is_twenty_characters_ending_with_an_ellipsis) {
  auto fitted = fitSubscribeValue("thing1", std::string(50, 'x'));
  BOOST_REQUIRE(fitted.has_value());
  BOOST_TEST(countCodePoints(fitted->value) == 20u);
  BOOST_TEST(fitted->value.ends_with("\xE2\x80\xA6"));
}

BOOST_AUTO_TEST_CASE(a_refusal_names_the_type_its_rule_and_what_breaks_it) {
  auto number = fitSubscribeValue("number3", "12a");
  BOOST_REQUIRE(!number.has_value());
  BOOST_TEST(number.error().starts_with("number: digits with an optional decimal part"));
  BOOST_TEST(number.error().find("not digits") != std::string::npos);
  auto phrase = fitSubscribeValue("phrase1", "已经完成了吗");
  BOOST_REQUIRE(!phrase.has_value());
  BOOST_TEST(phrase.error().find("has 6 characters") != std::string::npos);
  auto empty = fitSubscribeValue("thing1", "");
  BOOST_REQUIRE(!empty.has_value());
  BOOST_TEST(empty.error().find("is empty") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keys_are_a_known_type_followed_by_digits) {
  BOOST_TEST((subscribeKeyType("thing1") == ValueType::Thing));
  BOOST_TEST((subscribeKeyType("character_string12") == ValueType::CharacterString));
  BOOST_TEST((subscribeKeyType("phone_number3") == ValueType::PhoneNumber));
  BOOST_TEST(!subscribeKeyType("thing").has_value());
  BOOST_TEST(!subscribeKeyType("keyword1").has_value());
  BOOST_TEST(!subscribeKeyType("1").has_value());
  BOOST_TEST(!subscribeKeyType("").has_value());
  auto unknown = fitSubscribeValue("keyword1", "x");
  BOOST_REQUIRE(!unknown.has_value());
  BOOST_TEST(unknown.error().find("keyword1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stricter_than_the_platform_table_where_it_is_vague) {
  // White space alone is no thing; a date must exist in the calendar; a name has no digits;
  // a date and a time without a space between them are not a point.
  BOOST_TEST(!fitSubscribeValue("thing1", " \n ").has_value());
  BOOST_TEST(!fitSubscribeValue("date1", "2019-02-30").has_value());
  BOOST_TEST(fitSubscribeValue("date1", "2024-02-29").has_value());
  BOOST_TEST(!fitSubscribeValue("name1", "R2D2").has_value());
  BOOST_TEST(!fitSubscribeValue("time1", "2019-10-0115:01").has_value());
  BOOST_TEST(fitSubscribeValue("time1", "2019年10月1日15:01").has_value());
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced_before_the_rules_apply) {
  auto thing = fitSubscribeValue("thing1", "ok\xFF");
  BOOST_REQUIRE(thing.has_value());
  BOOST_TEST(thing->value == "ok\xEF\xBF\xBD");
  BOOST_TEST(!fitSubscribeValue("character_string1", "ok\xFF").has_value());
}

BOOST_AUTO_TEST_CASE(a_data_map_is_fitted_whole_or_names_its_first_bad_key) {
  auto good = fitSubscribeData({{"thing1", " Order shipped "}, {"time2", "15:01"}});
  BOOST_REQUIRE(good.has_value());
  BOOST_TEST(good->at("thing1") == "Order shipped");
  BOOST_TEST(good->at("time2") == "15:01");
  auto bad = fitSubscribeData({{"amount3", "lots"}, {"thing1", "x"}, {"time2", "noon"}});
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().key == "amount3");
  BOOST_TEST(bad.error().problem.starts_with("amount: "));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
