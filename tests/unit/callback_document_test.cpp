// parsePushXml / parsePushJson: CDATA and plain text alike, unknown elements kept out of the way,
// and every hostile document refused without expanding, fetching or growing anything: DTDs
// (billion laughs, external entities, parameter entities), undefined entities, truncation,
// deep nesting, element floods. JSON lists as an array or a bare object.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>

#include "wechat/callback/push_document.h"

using namespace wxb;

namespace {

const std::string kBillionLaughs =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n"
    "<xml><FromUserName>&lol9;</FromUserName></xml>";

std::string errorOf(std::string_view text) {
  auto parsed = parsePushDocument(text);
  BOOST_REQUIRE(!parsed.has_value());
  return parsed.error().message;
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_document)

BOOST_AUTO_TEST_CASE(cdata_and_plain_text_read_the_same_and_are_trimmed) {
  auto parsed = parsePushXml(
      "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName>o_1</FromUserName>\n"
      "<Encrypt>\n    <![CDATA[abc]]>\n  </Encrypt><Content><![CDATA[a]]>]]&gt;<![CDATA[b]]>"
      "</Content><Amp>x &amp; y &#x4E2D;</Amp></xml>");
  BOOST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->name == "xml");
  BOOST_TEST(parsed->child("ToUserName")->text == "gh_1");
  BOOST_TEST(parsed->child("FromUserName")->text == "o_1");
  BOOST_TEST(parsed->child("Encrypt")->text == "abc");
  BOOST_TEST(parsed->child("Content")->text == "a]]>b");
  BOOST_TEST(parsed->child("Amp")->text == "x & y \xE4\xB8\xAD");
}

BOOST_AUTO_TEST_CASE(nested_and_repeated_elements_become_children) {
  auto parsed = parsePushXml(
      "<xml><SubscribeMsgPopupEvent><List><TemplateId>t1</TemplateId></List>"
      "<List><TemplateId>t2</TemplateId></List></SubscribeMsgPopupEvent>"
      "<Unknown attr=\"1\"><Deeper>x</Deeper></Unknown><?pi ignored?><!-- comment --></xml>");
  BOOST_REQUIRE(parsed.has_value());
  const PushNode* wrapper = parsed->child("SubscribeMsgPopupEvent");
  BOOST_REQUIRE(wrapper != nullptr);
  BOOST_TEST(wrapper->count("List") == 2u);
  BOOST_TEST(wrapper->children[1].child("TemplateId")->text == "t2");
  BOOST_TEST(parsed->child("Missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(the_billion_laughs_are_refused_before_any_expansion) {
  BOOST_TEST(mentions(errorOf(kBillionLaughs), "DOCTYPE"));
}

BOOST_AUTO_TEST_CASE(external_and_parameter_entities_are_refused) {
  BOOST_TEST(mentions(errorOf("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                              "\"file:///etc/passwd\">]><xml><a>&e;</a></xml>"),
                      "DOCTYPE"));
  BOOST_TEST(
      mentions(errorOf("<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/evil.dtd\"><xml/>"), "DOCTYPE"));
  BOOST_TEST(mentions(errorOf("<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
                              "<xml/>"),
                      "DOCTYPE"));
  BOOST_TEST(mentions(errorOf("<!DOCTYPE xml><xml/>"), "DOCTYPE"));
}

BOOST_AUTO_TEST_CASE(an_undefined_entity_is_malformed_not_expanded) {
  BOOST_TEST(mentions(errorOf("<xml><a>&lol;</a></xml>"), "malformed XML"));
}

BOOST_AUTO_TEST_CASE(truncated_or_broken_xml_is_refused) {
  const std::string whole = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName></xml>";
  for (std::size_t cut : {1u, 10u, 20u, 30u, 45u}) {
    BOOST_TEST(mentions(errorOf(whole.substr(0, cut)), "malformed XML"));
  }
  BOOST_TEST(mentions(errorOf("<xml><a></b></xml>"), "malformed XML"));
  BOOST_TEST(mentions(errorOf("<xml/><xml/>"), "malformed XML"));
  BOOST_TEST(mentions(errorOf(""), "malformed XML"));
  BOOST_TEST(mentions(errorOf(std::string("<xml>\xFF\xFE</xml>")), "malformed XML"));
  BOOST_TEST(mentions(errorOf(std::string("<xml>a\0b</xml>", 15)), "malformed XML"));
}

BOOST_AUTO_TEST_CASE(deep_nesting_and_element_floods_are_refused) {
  std::string deep;
  for (int i = 0; i < 100'000; ++i) deep += "<a>";
  BOOST_TEST(mentions(errorOf(deep), "nested deeper"));
  std::string flood = "<xml>";
  for (int i = 0; i < 200'000; ++i) flood += "<a/>";  // about 1 MB
  BOOST_TEST(mentions(errorOf(flood + "</xml>"), "more than 1024 elements"));
}

BOOST_AUTO_TEST_CASE(a_ten_megabyte_text_parses_without_harm) {
  // The body limit belongs to the envelope; the parser itself must stay linear and bounded.
  std::string huge = "<xml><Content>" + std::string(10 * 1024 * 1024, 'x') + "</Content></xml>";
  auto parsed = parsePushXml(huge);
  BOOST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->child("Content")->text.size() == 10u * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(json_lists_read_alike_as_array_or_bare_object) {
  auto many = parsePushDocument(
      R"( {"ToUserName":"gh_1","CreateTime":1620973045,"List":[{"TemplateId":"t1"},)"
      R"({"TemplateId":"t2"}],"Flag":true,"Nothing":null})");
  auto one = parsePushDocument(R"({"List":{"TemplateId":"t1","PopupScene":"0"}})");
  BOOST_REQUIRE(many.has_value());
  BOOST_REQUIRE(one.has_value());
  BOOST_TEST(many->count("List") == 2u);
  BOOST_TEST(many->children.size() == 6u);
  BOOST_TEST(many->child("CreateTime")->text == "1620973045");
  BOOST_TEST(many->child("Flag")->text == "true");
  BOOST_TEST(many->child("Nothing")->text == "");
  BOOST_TEST(one->count("List") == 1u);
  BOOST_TEST(one->child("List")->child("TemplateId")->text == "t1");
}

BOOST_AUTO_TEST_CASE(hostile_json_is_refused) {
  BOOST_TEST(mentions(errorOf("{\"a\":"), "malformed JSON"));
  BOOST_TEST(mentions(errorOf("{\"a\":\"\xFF\"}"), "malformed JSON"));
  BOOST_TEST(mentions(errorOf("{\"a\":[[1]]}"), "array directly inside an array"));
  std::string deep = "{\"a\":";
  for (int i = 0; i < 20'000; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 20'001; ++i) deep += "}";
  BOOST_TEST(mentions(errorOf(deep), "nested deeper"));
  std::string wide = "{\"List\":[";
  for (int i = 0; i < 2000; ++i) wide += std::string(i ? "," : "") + "{}";
  BOOST_TEST(mentions(errorOf(wide + "]}"), "more than 1024 elements"));
  BOOST_TEST(!parsePushJson("[1,2]").has_value());
}

// XML keeps a repeated element and the decoder refuses a repeated field; JSON would keep one
// of two values silently, so a name given twice in one object is refused, at any depth.
BOOST_AUTO_TEST_CASE(a_json_name_given_twice_in_one_object_is_refused) {
  BOOST_TEST(mentions(errorOf(R"({"FromUserName":"oA","CreateTime":1,"FromUserName":"oB"})"),
                      "\"FromUserName\" appears more than once"));
  BOOST_TEST(mentions(errorOf(R"({"List":[{"TemplateId":"a","TemplateId":"b"}]})"),
                      "\"TemplateId\" appears more than once"));
  // The same name in two objects is no repeat.
  BOOST_TEST(parsePushJson(R"({"List":[{"TemplateId":"a"},{"TemplateId":"b"}]})").has_value());
}

// The refusal is logged and answered: a repeated name from the body is shown escaped (no line
// break, no control or non-ASCII character) and cut to 64 characters (REVIEW4 R4).
BOOST_AUTO_TEST_CASE(a_repeated_json_name_is_shown_escaped_and_short) {
  // The JSON escapes of a line break, a bell and an e with an accent.
  const std::string forged = R"(a\n2026-11-30 INFO forged\u0007\u00e9)";
  const std::string error = errorOf("{\"" + forged + "\":1,\"" + forged + "\":2}");
  BOOST_TEST(mentions(error, R"("a\n2026-11-30 INFO forged\u0007\u00e9" appears more than once)"));
  BOOST_TEST(std::all_of(error.begin(), error.end(), [](char c) { return c >= 0x20 && c < 0x7F; }));
  const std::string flood(10'000, 'x');
  const std::string long_error = errorOf("{\"" + flood + "\":1,\"" + flood + "\":2}");
  BOOST_TEST(mentions(long_error, "\"" + std::string(64, 'x') + "\"... appears more than once"));
  BOOST_TEST(long_error.size() < 150u);
}

BOOST_AUTO_TEST_CASE(the_format_is_told_by_the_first_character) {
  BOOST_TEST(static_cast<int>(detectDocumentFormat(" \n{\"a\":1}")) ==
             static_cast<int>(DocumentFormat::Json));
  BOOST_TEST(static_cast<int>(detectDocumentFormat("<xml/>")) ==
             static_cast<int>(DocumentFormat::Xml));
  BOOST_TEST(static_cast<int>(detectDocumentFormat("")) == static_cast<int>(DocumentFormat::Xml));
}

BOOST_AUTO_TEST_SUITE_END()
