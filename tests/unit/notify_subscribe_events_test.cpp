// Subscribe-message events read from push bodies (notify/subscribe_events.h): XML with repeated
// <List>, JSON with List an array or a bare object (a list of one), numbers as numbers or
// strings; malformed bodies are refused naming the field.
#include <boost/test/unit_test.hpp>

#include "notify/grant_ledger.h"
#include "notify/subscribe_events.h"

namespace wxb {

namespace {

const char* kPopupXml =
    "<xml><ToUserName><![CDATA[gh_mp]]></ToUserName><FromUserName><![CDATA[mpUser1]]>"
    "</FromUserName><CreateTime>1795244400</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[subscribe_msg_popup_event]]></Event><SubscribeMsgPopupEvent>"
    "<List><TemplateId><![CDATA[TPL_A]]></TemplateId><SubscribeStatusString><![CDATA[accept]]>"
    "</SubscribeStatusString><PopupScene>0</PopupScene></List>"
    "<List><TemplateId><![CDATA[TPL_B]]></TemplateId><SubscribeStatusString><![CDATA[reject]]>"
    "</SubscribeStatusString><PopupScene>0</PopupScene></List>"
    "</SubscribeMsgPopupEvent></xml>";

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_subscribe_events)

BOOST_AUTO_TEST_CASE(xml_popup_with_two_entries) {
  auto event = parseSubscribeEventXml(kPopupXml);
  BOOST_TEST_REQUIRE(event.has_value(), event.error());
  BOOST_TEST(event->event == "subscribe_msg_popup_event");
  BOOST_TEST(event->openid == "mpUser1");
  BOOST_TEST(event->createTimeMs == 1'795'244'400'000);
  BOOST_REQUIRE(event->entries.size() == 2u);
  BOOST_TEST(event->entries[0].templateId == "TPL_A");
  BOOST_TEST(event->entries[0].status == "accept");
  BOOST_TEST(event->entries[1].status == "reject");
  auto answer = eventAnswer(event->event, event->entries[0].status, event->entries[0].errorCode);
  BOOST_TEST((answer.answer == SubscribeAnswer::Accept));
}

BOOST_AUTO_TEST_CASE(xml_sent_event_carries_error_code_and_status) {
  auto event = parseSubscribeEventXml(
      "<xml><FromUserName>mpUser1</FromUserName><CreateTime>10</CreateTime>"
      "<Event>subscribe_msg_sent_event</Event><SubscribeMsgSentEvent><List>"
      "<TemplateId>TPL_A</TemplateId><MsgID>1700000000</MsgID><ErrorCode>20001</ErrorCode>"
      "<ErrorStatus>fail:user refuse</ErrorStatus></List></SubscribeMsgSentEvent></xml>");
  BOOST_TEST_REQUIRE(event.has_value(), event.error());
  BOOST_REQUIRE(event->entries.size() == 1u);
  BOOST_TEST(event->entries[0].errorCode == 20001);
  BOOST_TEST(event->entries[0].msgId == 1'700'000'000);
  BOOST_TEST(event->entries[0].status == "fail:user refuse");
  BOOST_TEST(eventAnswer(event->event, event->entries[0].status, 20001).zero);
}

BOOST_AUTO_TEST_CASE(json_list_of_one_is_an_object_and_numbers_may_be_strings) {
  auto event = parseSubscribeEventJson(
      R"({"ToUserName":"gh_mp","FromUserName":"mpUser1","CreateTime":"1795244400",)"
      R"("MsgType":"event","Event":"subscribe_msg_change_event",)"
      R"("List":{"TemplateId":"TPL_A","SubscribeStatusString":"reject"}})");
  BOOST_TEST_REQUIRE(event.has_value(), event.error());
  BOOST_REQUIRE(event->entries.size() == 1u);
  BOOST_TEST(event->createTimeMs == 1'795'244'400'000);
  auto answer = eventAnswer(event->event, event->entries[0].status, 0);
  BOOST_TEST((answer.answer == SubscribeAnswer::Ban));
}

BOOST_AUTO_TEST_CASE(json_list_of_several_is_an_array) {
  auto event = parseSubscribeEventJson(
      R"({"FromUserName":"mpUser1","CreateTime":10,"Event":"subscribe_msg_sent_event",)"
      R"("List":[{"TemplateId":"TPL_A","MsgID":7,"ErrorCode":0,"ErrorStatus":"success"},)"
      R"({"TemplateId":"TPL_B","MsgID":"8","ErrorCode":"20004","ErrorStatus":"fail:system error"}]})");
  BOOST_TEST_REQUIRE(event.has_value(), event.error());
  BOOST_REQUIRE(event->entries.size() == 2u);
  BOOST_TEST(event->entries[1].msgId == 8);
  BOOST_TEST(event->entries[1].errorCode == 20004);
}

BOOST_AUTO_TEST_CASE(malformed_bodies_name_the_field) {
  auto bad = [](const std::expected<SubscribeEvent, std::string>& e, const std::string& field) {
    return !e.has_value() && e.error().starts_with(field);
  };
  BOOST_TEST(bad(parseSubscribeEventJson("[]"), "body"));
  BOOST_TEST(bad(parseSubscribeEventJson(R"({"Event":"subscribe","FromUserName":"u",)"
                                         R"("CreateTime":1,"List":[]})"),
                 "Event"));
  BOOST_TEST(bad(parseSubscribeEventJson(R"({"Event":"subscribe_msg_popup_event",)"
                                         R"("FromUserName":"u","CreateTime":1,"List":[]})"),
                 "List"));
  BOOST_TEST(bad(parseSubscribeEventJson(R"({"Event":"subscribe_msg_popup_event",)"
                                         R"("FromUserName":"a b","CreateTime":1,)"
                                         R"("List":{"TemplateId":"T"}})"),
                 "FromUserName"));
  BOOST_TEST(bad(parseSubscribeEventJson(R"({"Event":"subscribe_msg_popup_event",)"
                                         R"("FromUserName":"u","CreateTime":1,)"
                                         R"("List":{"TemplateId":"T<x>"}})"),
                 "List.TemplateId"));
  BOOST_TEST(bad(parseSubscribeEventXml("<xml><Event>"), "body"));
  BOOST_TEST(bad(parseSubscribeEventXml("<root/>"), "body"));
  BOOST_TEST(bad(parseSubscribeEventXml("<xml><Event>subscribe_msg_popup_event</Event>"
                                        "<FromUserName>u</FromUserName><CreateTime>x"
                                        "</CreateTime></xml>"),
                 "CreateTime"));
}

BOOST_AUTO_TEST_CASE(an_external_entity_is_not_read) {
  auto event = parseSubscribeEventXml(
      "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<xml><Event>subscribe_msg_popup_event</Event><FromUserName>&x;</FromUserName>"
      "<CreateTime>1</CreateTime><SubscribeMsgPopupEvent><List><TemplateId>T</TemplateId>"
      "<SubscribeStatusString>accept</SubscribeStatusString></List></SubscribeMsgPopupEvent>"
      "</xml>");
  BOOST_TEST(!event.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
