// decodePushEvent and pushDedupKey: every event the bridge acts on, in XML and JSON, the
// subscribe-message lists as the platform sends them, strict ids and numbers, and a dedup key
// that is the same for a retried push and different for two pushes of one second.
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <variant>

#include "wechat/callback/push_event.h"

using namespace wxb;

namespace {

const std::string kOpenid = "oFollower0000000000000000001";

std::string pushXml(const std::string& event, const std::string& extra = "",
                    const std::string& from = kOpenid,
                    const std::string& createTime = "1700000000") {
  return "<xml><ToUserName><![CDATA[gh_fakeoa]]></ToUserName><FromUserName><![CDATA[" + from +
         "]]></FromUserName><CreateTime>" + createTime +
         "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event +
         "]]></Event>" + extra + "</xml>";
}

PushEvent decoded(const std::string& text) {
  auto document = parsePushDocument(text);
  BOOST_REQUIRE(document.has_value());
  auto event = decodePushEvent(*document);
  if (!event) BOOST_FAIL(event.error().field + " " + event.error().message);
  return *event;
}

PushFieldError refused(const std::string& text) {
  auto document = parsePushDocument(text);
  BOOST_REQUIRE(document.has_value());
  auto event = decodePushEvent(*document);
  BOOST_REQUIRE(!event.has_value());
  return event.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_event)

BOOST_AUTO_TEST_CASE(a_follow_reads_its_header) {
  PushEvent push = decoded(pushXml("subscribe"));
  BOOST_TEST(push.header.toUser == "gh_fakeoa");
  BOOST_TEST(push.header.fromUser == kOpenid);
  BOOST_TEST(push.header.createTime == 1700000000);
  BOOST_TEST(push.header.msgType == "event");
  BOOST_TEST(pushKindName(push) == std::string("subscribe"));
  auto* follow = std::get_if<FollowEvent>(&push.body);
  BOOST_REQUIRE(follow != nullptr);
  BOOST_TEST(!follow->scene.has_value());
}

BOOST_AUTO_TEST_CASE(a_follow_by_qr_code_carries_its_scene_and_ticket) {
  PushEvent push = decoded(pushXml(
      "subscribe", "<EventKey><![CDATA[qrscene_bind_Ab3]]></EventKey><Ticket>gQabc</Ticket>"));
  auto* follow = std::get_if<FollowEvent>(&push.body);
  BOOST_REQUIRE(follow != nullptr);
  BOOST_TEST(follow->scene.value_or("") == "bind_Ab3");
  BOOST_TEST(follow->ticket.value_or("") == "gQabc");
  // A follow whose EventKey is not a QR scene (or is empty) has no scene.
  auto plain = std::get<FollowEvent>(decoded(pushXml("subscribe", "<EventKey/>")).body);
  BOOST_TEST(!plain.scene.has_value());
}

BOOST_AUTO_TEST_CASE(a_scan_carries_its_unprefixed_scene) {
  PushEvent push = decoded(pushXml("SCAN", "<EventKey>bind_Ab3</EventKey><Ticket>gQ</Ticket>"));
  auto* scan = std::get_if<ScanEvent>(&push.body);
  BOOST_REQUIRE(scan != nullptr);
  BOOST_TEST(scan->scene == "bind_Ab3");
  BOOST_TEST(pushKindName(push) == std::string("SCAN"));
  BOOST_TEST(refused(pushXml("SCAN")).field == "EventKey");
  BOOST_TEST(refused(pushXml("subscribe", "<EventKey>qrscene_</EventKey>")).field == "EventKey");
  std::string longScene(65, 's');
  BOOST_TEST(refused(pushXml("SCAN", "<EventKey>" + longScene + "</EventKey>")).field ==
             "EventKey");
}

BOOST_AUTO_TEST_CASE(an_unfollow_and_unknown_events_decode) {
  BOOST_TEST(std::holds_alternative<UnfollowEvent>(decoded(pushXml("unsubscribe")).body));
  PushEvent click = decoded(pushXml("CLICK", "<EventKey>menu_1</EventKey>"));
  BOOST_TEST(std::holds_alternative<OtherEvent>(click.body));
  BOOST_TEST(pushKindName(click) == std::string("other"));
  BOOST_TEST(click.eventKey.value_or("") == "menu_1");
  // Event names are matched without regard to case: the platform is not consistent.
  BOOST_TEST(
      std::holds_alternative<ScanEvent>(decoded(pushXml("scan", "<EventKey>1</EventKey>")).body));
}

BOOST_AUTO_TEST_CASE(template_receipts_map_their_status_to_a_delivery_state) {
  auto receipt = [](const std::string& status) {
    return std::get<TemplateReceipt>(
        decoded(pushXml("TEMPLATESENDJOBFINISH",
                        "<MsgID>200163836</MsgID><Status><![CDATA[" + status + "]]></Status>"))
            .body);
  };
  BOOST_TEST(receipt("success").msgId == 200163836);
  BOOST_TEST(static_cast<int>(receipt("success").delivery) ==
             static_cast<int>(TemplateDelivery::Delivered));
  BOOST_TEST(static_cast<int>(receipt("failed:user block").delivery) ==
             static_cast<int>(TemplateDelivery::Blocked));
  BOOST_TEST(static_cast<int>(receipt("failed: system failed").delivery) ==
             static_cast<int>(TemplateDelivery::Failed));
  BOOST_TEST(static_cast<int>(receipt("failed:something new").delivery) ==
             static_cast<int>(TemplateDelivery::Failed));
  BOOST_TEST(receipt("failed:user block").status == "failed:user block");
  BOOST_TEST(templateDeliveryName(TemplateDelivery::Blocked) == std::string("blocked"));
}

BOOST_AUTO_TEST_CASE(a_receipt_needs_a_decimal_msgid_and_a_status) {
  BOOST_TEST(refused(pushXml("TEMPLATESENDJOBFINISH", "<Status>success</Status>")).field ==
             "MsgID");
  BOOST_TEST(
      refused(pushXml("TEMPLATESENDJOBFINISH", "<MsgID>12a</MsgID><Status>s</Status>")).field ==
      "MsgID");
  BOOST_TEST(
      refused(pushXml("TEMPLATESENDJOBFINISH", "<MsgID>-12</MsgID><Status>s</Status>")).field ==
      "MsgID");
  BOOST_TEST(refused(pushXml("TEMPLATESENDJOBFINISH",
                             "<MsgID>99999999999999999999</MsgID><Status>s</Status>"))
                 .field == "MsgID");
  BOOST_TEST(refused(pushXml("TEMPLATESENDJOBFINISH", "<MsgID>1</MsgID>")).field == "Status");
}

BOOST_AUTO_TEST_CASE(ordinary_messages_decode_with_their_msgid) {
  PushEvent text =
      decoded("<xml><ToUserName>gh_1</ToUserName><FromUserName>" + kOpenid +
              "</FromUserName><CreateTime>1409735668</CreateTime><MsgType>text</MsgType>"
              "<Content>hi</Content><MsgId>6054768590064713728</MsgId></xml>");
  auto* message = std::get_if<UserMessage>(&text.body);
  BOOST_REQUIRE(message != nullptr);
  BOOST_TEST(message->msgId.value_or(0) == 6054768590064713728);
  BOOST_TEST(pushKindName(text) == std::string("message"));
  BOOST_TEST(text.event.empty());
}

BOOST_AUTO_TEST_CASE(header_ids_and_times_are_strict) {
  BOOST_TEST(refused(pushXml("subscribe", "", "o<bad>")).field == "FromUserName");
  BOOST_TEST(refused(pushXml("subscribe", "", std::string(65, 'o'))).field == "FromUserName");
  BOOST_TEST(refused(pushXml("subscribe", "", "")).field == "FromUserName");
  BOOST_TEST(refused(pushXml("subscribe", "", kOpenid, "0")).field == "CreateTime");
  BOOST_TEST(refused(pushXml("subscribe", "", kOpenid, "17e8")).field == "CreateTime");
  BOOST_TEST(refused(pushXml("subscribe", "", kOpenid, " ")).field == "CreateTime");
  BOOST_TEST(refused("<xml><FromUserName>o1</FromUserName></xml>").field == "ToUserName");
  BOOST_TEST(refused(pushXml("", "")).field == "Event");
}

BOOST_AUTO_TEST_CASE(a_field_given_twice_is_refused_not_guessed) {
  auto error = refused(pushXml("subscribe", "<FromUserName>oSomeoneElse</FromUserName>"));
  BOOST_TEST(error.field == "FromUserName");
  BOOST_TEST(error.message == "appears more than once");
}

BOOST_AUTO_TEST_CASE(control_characters_in_text_fields_are_refused) {
  BOOST_TEST(refused(pushXml("CLICK", "<EventKey>a&#10;b</EventKey>")).field == "EventKey");
  BOOST_TEST(
      refused(pushXml("CLICK", "<EventKey>" + std::string(300, 'k') + "</EventKey>")).field ==
      "EventKey");
}

BOOST_AUTO_TEST_CASE(subscribe_message_popups_read_from_xml) {
  PushEvent push = decoded(pushXml(
      "subscribe_msg_popup_event",
      "<SubscribeMsgPopupEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3O"
      "c0NIc]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString>"
      "<PopupScene>2</PopupScene></List><List><TemplateId>t2</TemplateId><SubscribeStatusString>"
      "reject</SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>"));
  auto& popup = std::get<SubscribePopupEvent>(push.body);
  BOOST_REQUIRE(popup.choices.size() == 2u);
  BOOST_TEST(popup.choices[0].templateId == "VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc");
  BOOST_TEST(popup.choices[0].status == "accept");
  BOOST_TEST(popup.choices[0].popupScene.value_or(-1) == 2);
  BOOST_TEST(popup.choices[1].status == "reject");
}

BOOST_AUTO_TEST_CASE(subscribe_message_lists_read_from_json_as_object_or_array) {
  const std::string head =
      R"({"ToUserName":"gh_123456789abc","FromUserName":"o7esq5OI1Uej6Xixw1lA2H7XDVbc",)"
      R"("CreateTime":"1620973045","MsgType":"event",)";
  PushEvent one = decoded(head + R"("Event":"subscribe_msg_sent_event","List":{"TemplateId":)"
                                 R"("t1","MsgID":"1700827132819554304","ErrorCode":"0",)"
                                 R"("ErrorStatus":"success"}})");
  auto& sent = std::get<SubscribeSentEvent>(one.body);
  BOOST_REQUIRE(sent.results.size() == 1u);
  BOOST_TEST(sent.results[0].msgId == 1700827132819554304);
  BOOST_TEST(sent.results[0].errorCode == 0);
  BOOST_TEST(sent.results[0].errorStatus == "success");
  PushEvent many = decoded(head + R"("Event":"subscribe_msg_change_event","List":[)"
                                  R"({"TemplateId":"t1","SubscribeStatusString":"reject"},)"
                                  R"({"TemplateId":"t2","SubscribeStatusString":"reject"}]})");
  BOOST_TEST(std::get<SubscribeChangeEvent>(many.body).changes.size() == 2u);
  BOOST_TEST(one.header.createTime == 1620973045);
  // The JSON list may also sit inside the XML-style wrapper.
  PushEvent wrapped = decoded(head + R"("Event":"subscribe_msg_popup_event",)"
                                     R"("SubscribeMsgPopupEvent":{"List":{"TemplateId":"t1",)"
                                     R"("SubscribeStatusString":"accept","PopupScene":0}}})");
  BOOST_TEST(std::get<SubscribePopupEvent>(wrapped.body).choices.size() == 1u);
}

BOOST_AUTO_TEST_CASE(subscribe_message_lists_are_validated) {
  BOOST_TEST(refused(pushXml("subscribe_msg_popup_event")).field == "SubscribeMsgPopupEvent.List");
  BOOST_TEST(refused(pushXml("subscribe_msg_change_event",
                             "<SubscribeMsgChangeEvent><List><TemplateId>a b</TemplateId>"
                             "<SubscribeStatusString>reject</SubscribeStatusString></List>"
                             "</SubscribeMsgChangeEvent>"))
                 .field == "TemplateId");
  std::string many;
  for (int i = 0; i < 65; ++i) {
    many +=
        "<List><TemplateId>t</TemplateId><SubscribeStatusString>accept"
        "</SubscribeStatusString></List>";
  }
  BOOST_TEST(refused(pushXml("subscribe_msg_popup_event",
                             "<SubscribeMsgPopupEvent>" + many + "</SubscribeMsgPopupEvent>"))
                 .field == "SubscribeMsgPopupEvent.List");
  BOOST_TEST(refused(pushXml("subscribe_msg_sent_event",
                             "<SubscribeMsgSentEvent><List><TemplateId>t</TemplateId>"
                             "<ErrorCode>0</ErrorCode></List></SubscribeMsgSentEvent>"))
                 .field == "MsgID");
}

BOOST_AUTO_TEST_CASE(a_retried_push_has_the_same_dedup_key_whatever_its_spelling) {
  std::string key = pushDedupKey(decoded(pushXml("subscribe")));
  BOOST_TEST(key.size() == 64u);
  BOOST_TEST(pushDedupKey(decoded(pushXml("subscribe"))) == key);
  const std::string respelled =
      "<xml>\n  <ToUserName>gh_fakeoa</ToUserName>\n  <FromUserName>" + kOpenid +
      "</FromUserName>\n  <CreateTime>1700000000</CreateTime>\n  <MsgType>event</MsgType>\n"
      "  <Event>subscribe</Event>\n  <Unknown>x</Unknown>\n</xml>";
  BOOST_TEST(pushDedupKey(decoded(respelled)) == key);
  const std::string json = R"({"ToUserName":"gh_fakeoa","FromUserName":")" + kOpenid +
                           R"(","CreateTime":1700000000,"MsgType":"event","Event":"subscribe"})";
  BOOST_TEST(pushDedupKey(decoded(json)) == key);
}

BOOST_AUTO_TEST_CASE(pushes_of_one_user_and_second_have_distinct_keys) {
  std::set<std::string> keys = {
      pushDedupKey(decoded(pushXml("subscribe"))),
      pushDedupKey(decoded(pushXml("unsubscribe"))),
      pushDedupKey(decoded(pushXml("subscribe", "<EventKey>qrscene_a</EventKey>"))),
      pushDedupKey(decoded(pushXml("SCAN", "<EventKey>a</EventKey>"))),
      pushDedupKey(decoded(pushXml("SCAN", "<EventKey>b</EventKey>"))),
      pushDedupKey(decoded(pushXml("TEMPLATESENDJOBFINISH", "<MsgID>1</MsgID><Status>s</Status>"))),
      pushDedupKey(decoded(pushXml("TEMPLATESENDJOBFINISH", "<MsgID>2</MsgID><Status>s</Status>"))),
      pushDedupKey(decoded(pushXml("subscribe", "", "oOther"))),
      pushDedupKey(decoded(pushXml("subscribe", "", kOpenid, "1700000001"))),
  };
  BOOST_TEST(keys.size() == 9u);
}

BOOST_AUTO_TEST_SUITE_END()
