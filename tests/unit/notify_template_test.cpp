// Template patterns and rendering: placeholders, the summary line, params, and every value
// within the platform's limits.
#include <boost/test/unit_test.hpp>

#include "notify/notice_window.h"
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
  return UnreadSummary{"u1", {{"chat", 3}, {"invitation", 1}}, "Ann", "see you at 8", "oa1", true,
                       {}};
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

BOOST_AUTO_TEST_CASE(label_and_unread_placeholders_parse) {
  auto p = parsePattern("{{label}} {{ unread }}");
  BOOST_REQUIRE(p);
  BOOST_REQUIRE(p->size() == 3u);
  BOOST_TEST(((*p)[0].kind == PatternPart::Kind::Label));
  BOOST_TEST(((*p)[2].kind == PatternPart::Kind::Unread));
  BOOST_TEST(parsePattern("{{labels}}").error().find("label, unread") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_single_notice_shows_its_event_with_the_type_label) {
  auto s =
      spec({{"thing1", "{{label}}: {{actor}}"}, {"thing2", "{{text}}"}, {"number3", "{{unread}}"}});
  Notice single{NoticeKind::Single, 1,      0,    false,         false, {11},
                {{"chat", 1}},      "chat", "Li", "see you at 8"};
  TemplateMessage m = renderTemplate(s, kLabels, "oa1", noticeValues(single, 5));
  BOOST_TEST(m.data.at("thing1") == "chat messages: Li");
  BOOST_TEST(m.data.at("thing2") == "see you at 8");
  BOOST_TEST(m.data.at("number3") == "5");
}

BOOST_AUTO_TEST_CASE(a_many_notice_counts_the_held_events_and_all_unread_apart) {
  auto s = spec({{"k1", "{{total}} new"},
                 {"k2", "{{count.chat}}/{{count.invitation}}/{{count.like}}"},
                 {"k3", "{{summary}}"},
                 {"k4", "{{unread}} unread"},
                 {"k5", "{{actor}} ({{label}})"},
                 {"k6", "{{text}}"}});
  Notice many{
      NoticeKind::Many, 2,    0,      false, false, {2, 3, 4, 5}, {{"chat", 3}, {"invitation", 1}},
      "invitation",     "Cy", "party"};
  TemplateMessage m = renderTemplate(s, kLabels, "oa1", noticeValues(many, 9));
  BOOST_TEST(m.data.at("k1") == "4 new");
  BOOST_TEST(m.data.at("k2") == "3/1/0");
  BOOST_TEST(m.data.at("k3") == "chat messages: 3, i\xE2\x80\xA6");
  BOOST_TEST(m.data.at("k4") == "9 unread");
  BOOST_TEST(m.data.at("k5") == "Cy (invitations)");
  BOOST_TEST(m.data.at("k6") == "party");
}

BOOST_AUTO_TEST_CASE(the_unread_placeholder_in_a_digest_is_the_unread_total) {
  auto s = spec({{"k1", "{{unread}}"}, {"k2", "[{{label}}]"}});
  UnreadSummary u = unread();
  TemplateMessage m = renderTemplate(s, kLabels, "oa1", &u, {});
  BOOST_TEST(m.data.at("k1") == "4");
  BOOST_TEST(renderTemplate(s, kLabels, "oa1", nullptr, {}).data.at("k1") == "0");
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
