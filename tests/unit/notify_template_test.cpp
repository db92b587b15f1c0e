// Template patterns and rendering: placeholders, the summary line, params, and every value
// within the platform's limits.
#include <boost/test/unit_test.hpp>

#include "notify/template_render.h"
#include "notify/template_spec.h"
#include "notify/text_fit.h"

namespace wxb {

namespace {

TemplateSpec spec(std::vector<std::pair<std::string, std::string>> fields) {
  TemplateSpec s{"daily", "TPL_ID", MiniProgramLink{"wxfakemp", "pages/inbox/index"}, {}};
  for (const auto& [key, text] : fields) s.data.emplace_back(key, parsePattern(text).value());
  return s;
}

UnreadSummary unread() {
  return UnreadSummary{"u1", {{"chat", 3}, {"invitation", 1}}, "Ann", "see you at 8", "oa1", true};
}

const TypeLabels kLabels = {{"chat", "chat messages"}, {"invitation", "invitations"}};

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_template)

BOOST_AUTO_TEST_CASE(patterns_split_into_literals_and_placeholders) {
  auto p = parsePattern("Hi {{ actor }}: {{count.chat}} new, {{params.room}}");
  BOOST_REQUIRE(p);
  BOOST_REQUIRE(p->size() == 6u);
  BOOST_TEST(((*p)[1].kind == PatternPart::Kind::Actor));
  BOOST_TEST(((*p)[3].kind == PatternPart::Kind::Count));
  BOOST_TEST((*p)[3].text == "chat");
  BOOST_TEST(((*p)[5].kind == PatternPart::Kind::Param));
  BOOST_TEST((*p)[5].text == "room");
  BOOST_TEST(parsePattern("").value().empty());
}

BOOST_AUTO_TEST_CASE(unknown_or_unclosed_placeholders_are_rejected_with_the_reason) {
  auto unknown = parsePattern("{{totl}}");
  BOOST_REQUIRE(!unknown);
  BOOST_TEST(unknown.error().find("{{totl}}") != std::string::npos);
  BOOST_TEST(!parsePattern("{{count.Chat}}"));  // types are lower case
  BOOST_TEST(!parsePattern("{{params.}}"));
  BOOST_TEST(parsePattern("oops {{total").error().find("without") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(summary_lists_types_largest_first_with_their_labels) {
  BOOST_TEST(summaryText({{"invitation", 1}, {"chat", 3}}, kLabels) ==
             "chat messages: 3, invitations: 1");
  BOOST_TEST(summaryText({{"like", 2}, {"chat", 2}}, kLabels) == "chat messages: 2, like: 2");
  BOOST_TEST(summaryText({}, kLabels) == "");
}

BOOST_AUTO_TEST_CASE(rendering_fills_every_field_from_the_unread_events) {
  auto s = spec({{"keyword1", "MyApp"},
                 {"keyword2", "{{count.chat}} chats, {{count.like}} likes"},
                 {"keyword3", "{{total}} unread"},
                 {"keyword4", "{{actor}}: {{text}}"}});
  UnreadSummary u = unread();
  TemplateMessage m = renderTemplate(s, kLabels, "oa1", &u, {});
  BOOST_TEST(m.touser == "oa1");
  BOOST_TEST(m.templateId == "TPL_ID");
  BOOST_REQUIRE(m.miniprogram);
  BOOST_TEST(m.miniprogram->pagepath == "pages/inbox/index");
  BOOST_TEST(m.data.at("keyword1") == "MyApp");
  BOOST_TEST(m.data.at("keyword2") == "3 chats, 0 likes");
  BOOST_TEST(m.data.at("keyword3") == "4 unread");
  BOOST_TEST(m.data.at("keyword4") == "Ann: see you at 8");
}

BOOST_AUTO_TEST_CASE(rendered_values_obey_the_platform_limits) {
  auto s = spec({{"keyword1", "{{summary}}"}, {"keyword2", "{{text}}"}});
  UnreadSummary u = unread();
  u.latestText = "line one\nline two and a lot more words";
  TemplateMessage m = renderTemplate(s, kLabels, "oa1", &u, {});
  BOOST_TEST(m.data.at("keyword1") == "chat messages: 3, i\xE2\x80\xA6");
  BOOST_TEST(m.data.at("keyword2") == "line one line two a\xE2\x80\xA6");
  for (const auto& [key, value] : m.data) {
    BOOST_TEST(countCodePoints(value) <= kTemplateValueMaxChars);
    BOOST_TEST(value.find('\n') == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(params_fill_direct_messages_and_missing_ones_render_empty) {
  auto s = spec({{"thing1", "{{params.title}}"},
                 {"thing2", "[{{params.missing}}]"},
                 {"number3", "{{total}}"}});
  TemplateMessage m = renderTemplate(s, kLabels, "oa1", nullptr, {{"title", "Your order"}});
  BOOST_TEST(m.data.at("thing1") == "Your order");
  BOOST_TEST(m.data.at("thing2") == "[]");
  BOOST_TEST(m.data.at("number3") == "0");
  BOOST_TEST((s.paramNames() == std::set<std::string>{"missing", "title"}));
}

BOOST_AUTO_TEST_CASE(names_follow_the_configuration_rules) {
  BOOST_TEST(isValidTemplateName("daily-digest_2"));
  BOOST_TEST(!isValidTemplateName("daily digest"));
  BOOST_TEST(isValidFieldKey("thing01"));
  BOOST_TEST(!isValidFieldKey("thing.01"));
  BOOST_TEST(isValidEventType("chat_message"));
  BOOST_TEST(!isValidEventType("Chat"));
  BOOST_TEST(!isValidEventType(std::string(33, 'a')));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
