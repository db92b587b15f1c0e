// What a mini program reports after wx.requestSubscribeMessage, as ledger answers: errMsg
// skipped, accept variants counted as accept, and every malformed report refused naming the
// field.
#include <boost/test/unit_test.hpp>

#include "notify/subscriptions.h"

namespace wxb {

BOOST_AUTO_TEST_SUITE(notify_subscriptions)

BOOST_AUTO_TEST_CASE(the_success_result_reads_as_it_came_from_the_phone) {
  auto answers = readAnswers({{"errMsg", "requestSubscribeMessage:ok"},
                              {"TPL_order-1", "accept"},
                              {"TPL_chat", "reject"},
                              {"TPL_voice", "acceptWithAudio"},
                              {"TPL_off", "ban"},
                              {"TPL_dup", "filter"}});
  BOOST_REQUIRE(answers.has_value());
  BOOST_REQUIRE(answers->size() == 5u);
  BOOST_TEST((*answers)[0].templateId == "TPL_chat");
  BOOST_TEST(((*answers)[0].answer == SubscribeAnswer::Reject));
  BOOST_TEST(((*answers)[1].answer == SubscribeAnswer::Filter));
  BOOST_TEST(((*answers)[2].answer == SubscribeAnswer::Ban));
  BOOST_TEST(((*answers)[3].answer == SubscribeAnswer::Accept));
  BOOST_TEST(((*answers)[4].answer == SubscribeAnswer::Accept));  // acceptWithAudio
}

BOOST_AUTO_TEST_CASE(malformed_reports_name_the_field) {
  auto empty = readAnswers({{"errMsg", "requestSubscribeMessage:ok"}});
  BOOST_REQUIRE(!empty.has_value());
  BOOST_TEST(empty.error().field == "results");
  auto word = readAnswers({{"TPL1", "maybe"}});
  BOOST_REQUIRE(!word.has_value());
  BOOST_TEST(word.error().field == "results.TPL1");
  auto id = readAnswers({{"TPL 1", "accept"}});
  BOOST_REQUIRE(!id.has_value());
  BOOST_TEST(id.error().field == "results");
  std::map<std::string, std::string> many;
  for (int i = 0; i < 51; ++i) many["TPL" + std::to_string(i)] = "accept";
  BOOST_TEST(!readAnswers(many).has_value());
}

// The undocumented variants (acceptWithAudio, acceptWithAlert, acceptWithForcePush) count as
// accept; other words that merely start with "accept" are refused (usertest4 F7).
BOOST_AUTO_TEST_CASE(only_accept_and_its_acceptwith_variants_count_as_accept) {
  for (const char* word : {"accept", "acceptWithAlert", "acceptWithForcePush", "acceptWithAudio"}) {
    auto answers = readAnswers({{"TPL1", word}});
    BOOST_REQUIRE_MESSAGE(answers.has_value(), word);
    BOOST_TEST((answers->at(0).answer == SubscribeAnswer::Accept), word);
  }
  for (const char* word : {"acceptfoo", "acceptWith", "acceptWithaudio", "acceptWith Audio",
                           "acceptWithAudio1", "ACCEPT"}) {
    auto answers = readAnswers({{"TPL1", word}});
    BOOST_REQUIRE_MESSAGE(!answers.has_value(), word);
    BOOST_TEST(answers.error().field == "results.TPL1", word);
  }
}

BOOST_AUTO_TEST_CASE(template_ids_are_bounded_url_safe_text) {
  BOOST_TEST(isValidTemplateId("Ch3kX1uZs-DX9dH7rLwW0a9n2DfL8GJAxXL4JbgkmJE"));
  BOOST_TEST(!isValidTemplateId(""));
  BOOST_TEST(!isValidTemplateId(std::string(129, 'a')));
  BOOST_TEST(!isValidTemplateId("a/b"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
