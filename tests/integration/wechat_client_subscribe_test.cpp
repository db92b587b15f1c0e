// WechatClient's subscribe sends against the real fake-wechat over loopback: MP subscribe
// messages (subscribe/send, MP token) and OA subscribe notifications (subscribe/bizsend, OA
// token): what they carry, their errcodes as permanent errors that spend no grant, and, with
// the fake's faults switched on, that no grant is ever spent twice nor a delivery repeated.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/canned_http_server.h"
#include "support/fake_wechat_process.h"
#include "support/wechat_client_fixtures.h"
#include "wechat/wechat_client.h"

namespace wxb::test {

namespace {

constexpr const char* kSubscribeApi = "/cgi-bin/message/subscribe/send";
constexpr const char* kBizSendApi = "/cgi-bin/message/subscribe/bizsend";
const std::string kMpUser = "oMPsubscriber000000000000001";
const std::string kOaUser = "oOAnonfollower00000000000001";

SubscribeMessage subscribeTo(const std::string& touser, const std::string& templateId) {
  SubscribeMessage m;
  m.touser = touser;
  m.templateId = templateId;
  m.page = "pages/orders/detail?id=5521";
  m.data = {{"thing1", "Order 5521 shipped"}, {"time2", "2026-11-21 15:01"}};
  return m;
}

BizSubscribeMessage bizTo(const std::string& touser, const std::string& templateId) {
  BizSubscribeMessage m;
  m.touser = touser;
  m.templateId = templateId;
  m.page = "https://shop.example/orders/5521";
  m.data = {{"thing1", "Order 5521 shipped"}, {"amount2", "¥100.50"}};
  return m;
}

// The grants the fake holds for one (openid, template_id): 0 when none.
int64_t grantsHeld(const FakeWechatProcess& fake, const std::string& idKey,
                   const std::string& openid, const std::string& templateId) {
  for (const nlohmann::json& line : fake.getNdjson("/__fake/grants")) {
    if (line.value(idKey, "") == openid && line.value("template_id", "") == templateId) {
      return line.at("grants").get<int64_t>();
    }
  }
  return 0;
}

void grant(const FakeWechatProcess& fake, const std::string& idKey, const std::string& openid,
           const std::string& templateId, int count) {
  fake.postJson("/__fake/grants", {{idKey, openid}, {"template_id", templateId}, {"count", count}});
}

struct Client {
  explicit Client(const FakeWechatProcess& fake)
      : settings(withLog(clientSettingsFor(fake.baseUrl()), calls)),
        tokens(settings),
        client(settings, tokens) {}
  static WechatClientSettings withLog(WechatClientSettings s, CallLog& log) {
    s.onCall = log.observer();
    return s;
  }
  CallLog calls;
  WechatClientSettings settings;
  CountingTokenSource tokens;
  WechatClient client;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(wechat_client_subscribe)

BOOST_AUTO_TEST_CASE(subscribe_send_carries_page_state_and_lang_and_returns_the_msgid) {
  FakeWechatProcess fake;
  Client c(fake);
  grant(fake, "mp_openid", kMpUser, "tmpl_order", 1);
  auto sent = c.client.sendSubscribe(subscribeTo(kMpUser, "tmpl_order"));
  BOOST_REQUIRE_MESSAGE(sent, describe(errorOf(sent)));
  BOOST_TEST(*sent > (int64_t{1} << 53));
  const auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 1u);
  const nlohmann::json& body = delivered[0]["body"];
  BOOST_TEST(delivered[0]["api"].get<std::string>() == "subscribe");
  BOOST_TEST(body["page"].get<std::string>() == "pages/orders/detail?id=5521");
  BOOST_TEST(body["miniprogram_state"].get<std::string>() == "formal");
  BOOST_TEST(body["lang"].get<std::string>() == "zh_CN");
  BOOST_TEST(body["data"]["time2"]["value"].get<std::string>() == "2026-11-21 15:01");
  BOOST_TEST(grantsHeld(fake, "mp_openid", kMpUser, "tmpl_order") == 0);
  BOOST_TEST(c.tokens.fetches == 1);  // the MP token
}

BOOST_AUTO_TEST_CASE(bizsend_reaches_a_non_follower_with_the_oas_grant_and_no_msgid) {
  FakeWechatProcess fake({"--followers", "3", "--biz-template", "biz_order"});
  Client c(fake);
  grant(fake, "oa_openid", kOaUser, "biz_order", 1);
  grant(fake, "mp_openid", kOaUser, "biz_order", 5);  // the mini program's book does not count
  auto sent = c.client.sendBizSubscribe(bizTo(kOaUser, "biz_order"));
  BOOST_REQUIRE_MESSAGE(sent, describe(errorOf(sent)));
  BOOST_TEST(*sent == 0);
  auto again = c.client.sendBizSubscribe(bizTo(kOaUser, "biz_order"));
  BOOST_REQUIRE(!again);
  BOOST_TEST(again.error().errcode == 43101);
  BOOST_TEST(again.error().api == kBizSendApi);
  const auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 1u);
  BOOST_TEST(delivered[0]["api"].get<std::string>() == "bizsend");
  BOOST_TEST(delivered[0]["shown_in"].get<std::string>() == "service_notifications");
  BOOST_TEST(delivered[0]["body"]["page"].get<std::string>() == "https://shop.example/orders/5521");
  BOOST_TEST(grantsHeld(fake, "mp_openid", kOaUser, "biz_order") == 5);
}

BOOST_AUTO_TEST_CASE(a_long_term_oa_template_needs_no_grant_and_others_must_be_catalogued) {
  FakeWechatProcess fake({"--followers", "3"});
  fake.configure({{"biz_templates", {{{"template_id", "biz_notice"}, {"long_term", true}}}}});
  Client c(fake);
  BizSubscribeMessage message = bizTo(fake.followers().begin()->first, "biz_notice");
  message.page.clear();
  message.miniprogram = MiniProgramLink{"wxfakemp", "pages/orders/detail?id=5521"};
  BOOST_TEST(c.client.sendBizSubscribe(message).has_value());
  BOOST_TEST(c.client.sendBizSubscribe(message).has_value());
  auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 2u);
  BOOST_TEST(delivered[0]["shown_in"].get<std::string>() == "chat");
  BOOST_TEST(delivered[0]["opens"]["miniprogram"]["appid"].get<std::string>() == "wxfakemp");
  // An MP subscribe template id is not one of the OA's.
  auto foreign = c.client.sendBizSubscribe(bizTo(kOaUser, "tmpl_order"));
  BOOST_REQUIRE(!foreign);
  BOOST_TEST(foreign.error().errcode == 40037);
}

BOOST_AUTO_TEST_CASE(refusals_are_permanent_not_retried_and_spend_no_grant) {
  FakeWechatProcess fake({"--biz-template", "biz_order"});
  Client c(fake);
  grant(fake, "mp_openid", kMpUser, "tmpl_order", 1);
  grant(fake, "oa_openid", kOaUser, "biz_order", 1);
  SubscribeMessage badPage = subscribeTo(kMpUser, "tmpl_order");
  badPage.page = "index";
  SubscribeMessage badValue = subscribeTo(kMpUser, "tmpl_order");
  badValue.data["time2"] = "3:00 PM";
  SubscribeMessage badState = subscribeTo(kMpUser, "tmpl_order");
  badState.miniprogramState = "staging";
  BizSubscribeMessage badAmount = bizTo(kOaUser, "biz_order");
  badAmount.data["amount2"] = "lots";
  const std::vector<std::pair<WechatResult<int64_t>, int>> cases = {
      {c.client.sendSubscribe(subscribeTo(kMpUser, "bad_template")), 40037},
      {c.client.sendSubscribe(badPage), 41030},
      {c.client.sendSubscribe(badValue), 47003},
      {c.client.sendSubscribe(badState), 47003},
      {c.client.sendSubscribe(subscribeTo("oMPwithoutgrant00000000000001", "tmpl_order")), 43101},
      {c.client.sendBizSubscribe(badAmount), 47003},
      {c.client.sendBizSubscribe(bizTo(kOaUser, "bad_biz")), 40037},
  };
  for (const auto& [result, errcode] : cases) {
    BOOST_TEST_CONTEXT(errcode) {
      BOOST_REQUIRE(!result);
      BOOST_TEST(result.error().errcode == errcode);
      BOOST_TEST(kindName(result.error().kind) == std::string("permanent"));
    }
  }
  BOOST_TEST(cases[2].first.error().message.find("data.time2.value") != std::string::npos);
  BOOST_TEST(c.calls.count(kSubscribeApi) == 5);  // once each
  BOOST_TEST(c.calls.count(kBizSendApi) == 2);
  BOOST_TEST(grantsHeld(fake, "mp_openid", kMpUser, "tmpl_order") == 1);
  BOOST_TEST(grantsHeld(fake, "oa_openid", kOaUser, "biz_order") == 1);
  BOOST_TEST(fake.getNdjson("/__fake/messages").empty());
}

BOOST_AUTO_TEST_CASE(with_faults_on_each_grant_pays_for_at_most_one_delivery) {
  FakeWechatProcess fake({"--biz-template", "biz_order", "--timeout-hold-ms", "400"});
  Client c(fake);
  c.settings.readTimeoutMs = 300;
  WechatClient client(c.settings, c.tokens);
  BOOST_REQUIRE(c.tokens.accessToken(App::Mp));  // tokens first, then the faults
  BOOST_REQUIRE(c.tokens.accessToken(App::Oa));
  constexpr int kSends = 24;
  grant(fake, "mp_openid", kMpUser, "tmpl_order", kSends);
  grant(fake, "oa_openid", kOaUser, "biz_order", kSends);
  fake.configure({{"busy_rate", 0.25}, {"fail_rate", 0.15}, {"timeout_rate", 0.15}});
  int delivered = 0, unanswered = 0;
  for (int i = 0; i < kSends; ++i) {
    for (const auto& result : {client.sendSubscribe(subscribeTo(kMpUser, "tmpl_order")),
                               client.sendBizSubscribe(bizTo(kOaUser, "biz_order"))}) {
      delivered += result.has_value();
      unanswered += !result && result.error().kind == WechatError::Kind::Transport;
    }
  }
  fake.configure({{"busy_rate", 0}, {"fail_rate", 0}, {"timeout_rate", 0}});
  BOOST_TEST_MESSAGE(delivered << " delivered, " << unanswered << " unanswered");
  const int64_t left = grantsHeld(fake, "mp_openid", kMpUser, "tmpl_order") +
                       grantsHeld(fake, "oa_openid", kOaUser, "biz_order");
  BOOST_TEST(delivered > 0);
  BOOST_TEST(unanswered > 0);
  BOOST_TEST(fake.getNdjson("/__fake/messages").size() == static_cast<size_t>(delivered));
  BOOST_TEST(left == 2 * kSends - delivered);  // a faulted call spends nothing
  // -1 and HTTP 500 were answered and retried; a call that timed out after its request was
  // written was never sent again.
  BOOST_TEST(c.calls.count(kSubscribeApi, kCallTransportFailed) +
                 c.calls.count(kBizSendApi, kCallTransportFailed) ==
             unanswered);
  BOOST_TEST(c.calls.count(kSubscribeApi, -1) + c.calls.count(kBizSendApi, -1) > 0);
}

BOOST_AUTO_TEST_CASE(answers_the_fake_never_gives_map_to_their_kinds) {
  // fake-wechat answers 40003 only for a malformed openid, which the client refuses before any
  // request; the real platform also gives it for a well-formed openid it does not know.
  CannedHttpServer server;
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(clientSettingsFor(server.baseUrl()), tokens);
  server.answer(kSubscribeApi, 200, R"({"errcode":40003,"errmsg":"invalid openid"})");
  server.answer(kBizSendApi, 200, R"({"errcode":0,"errmsg":"ok","msgid":"12"})");
  auto unknownUser = client.sendSubscribe(subscribeTo(kMpUser, "tmpl_order"));
  BOOST_REQUIRE(!unknownUser);
  BOOST_TEST(unknownUser.error().errcode == 40003);
  BOOST_TEST(kindName(unknownUser.error().kind) == std::string("permanent"));
  auto textMsgid = client.sendBizSubscribe(bizTo(kOaUser, "biz_order"));
  BOOST_REQUIRE(!textMsgid);
  BOOST_TEST(kindName(textMsgid.error().kind) == std::string("bad_response"));
  auto malformed = client.sendSubscribe(subscribeTo("not an openid", "tmpl_order"));
  BOOST_REQUIRE(!malformed);
  BOOST_TEST(malformed.error().message.find("touser") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
