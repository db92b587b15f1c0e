// WechatClient's typed calls: each platform API against the real fake-wechat over loopback
// (tokens, followers and batchget, template and subscribe sends, jscode2session, quotas), and
// the answers fake-wechat never gives from a canned-answer server: malformed bodies are
// bad_response naming the API, and each platform errcode maps to its kind. Retries, token
// invalidation and connections are in wechat_client_transport_test.cpp.
#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cron/clock.h"
#include "support/canned_http_server.h"
#include "support/fake_wechat_process.h"
#include "support/log_capture.h"
#include "support/wechat_client_fixtures.h"
#include "wechat/wechat_client.h"

namespace wxb::test {

BOOST_AUTO_TEST_SUITE(wechat_client)

// --- happy paths against fake-wechat ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(fetches_classic_and_stable_tokens_for_both_apps) {
  FakeWechatProcess fake;
  WechatClient client(clientSettingsFor(fake.baseUrl()));
  auto classic1 = client.fetchToken(App::Oa);
  auto classic2 = client.fetchToken(App::Oa);
  auto stable1 = client.fetchStableToken(App::Mp, false);
  auto stable2 = client.fetchStableToken(App::Mp, false);
  BOOST_REQUIRE_MESSAGE(classic1 && classic2, describe(errorOf(classic2)));
  BOOST_REQUIRE_MESSAGE(stable1 && stable2, describe(errorOf(stable2)));
  BOOST_TEST(classic1->token != classic2->token);  // every classic fetch rotates
  BOOST_TEST(stable1->token == stable2->token);    // force_refresh:false does not
  BOOST_TEST(stable1->expiresInSeconds > 0);
  BOOST_TEST(stable1->expiresInSeconds <= 7200);
  const nlohmann::json issued = fake.stats()["tokens_issued"];
  BOOST_TEST(issued["oa"].get<int>() == 2);
  BOOST_TEST(issued["mp"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(wrong_appsecret_is_permanent_and_never_echoed) {
  FakeWechatProcess fake;
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  settings.oaSecret = "not-the-secret-s3cr3t";
  WechatClient client(settings);
  LogCapture logs("wxb.wechat");
  auto stable = client.fetchStableToken(App::Oa, false);
  auto classic = client.fetchToken(App::Oa);
  BOOST_REQUIRE(!stable);
  BOOST_REQUIRE(!classic);
  for (const WechatError& error : {stable.error(), classic.error()}) {
    BOOST_TEST(kindName(error.kind) == std::string("permanent"));  // not token_invalid: no token
    BOOST_TEST(error.errcode == 40125);
    BOOST_TEST(error.describe().find("s3cr3t") == std::string::npos);
  }
  BOOST_TEST(logs.all().find("s3cr3t") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(pages_through_every_follower_then_batchgets_their_unionids) {
  FakeWechatProcess fake({"--followers", "250", "--page-size", "100", "--unionid-ratio", "0.8"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::vector<std::string> openids = allFollowerOpenids(client);
  const std::map<std::string, std::string> expected = fake.followers();
  BOOST_TEST(openids.size() == 250u);
  BOOST_TEST(std::set<std::string>(openids.begin(), openids.end()).size() == 250u);
  for (const std::string& openid : openids) BOOST_TEST_REQUIRE(expected.count(openid) == 1u);

  auto batch = client.batchGetUserInfo({openids.begin(), openids.begin() + 100});
  BOOST_REQUIRE_MESSAGE(batch, describe(errorOf(batch)));
  BOOST_TEST(batch->size() == 100u);
  int withUnionid = 0;
  for (const UserInfo& user : *batch) {
    BOOST_TEST(user.subscribed);
    BOOST_TEST(user.unionid.value_or("") == expected.at(user.openid));
    withUnionid += user.unionid.has_value();
  }
  BOOST_TEST(withUnionid > 50);  // about 80 of 100
  BOOST_TEST(withUnionid < 100);
  auto one = client.userInfo(openids.front());
  BOOST_REQUIRE_MESSAGE(one, describe(errorOf(one)));
  BOOST_TEST(one->openid == openids.front());
  BOOST_TEST(one->subscribeTime > 0);
  BOOST_TEST(tokens.fetches == 1);  // one token served every call
}

BOOST_AUTO_TEST_CASE(batchget_of_101_openids_is_refused_before_any_request) {
  FakeWechatProcess fake;
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  FixedTokenSource tokens("unused");
  WechatClient client(settings, tokens);
  std::vector<std::string> openids;
  for (int i = 0; i < 101; ++i) openids.push_back("o" + std::to_string(100000 + i));
  auto result = client.batchGetUserInfo(openids);
  BOOST_REQUIRE(!result);
  BOOST_TEST(result.error().api == "/cgi-bin/user/info/batchget");
  BOOST_TEST(kindName(result.error().kind) == std::string("permanent"));
  BOOST_TEST(result.error().message.find("101") != std::string::npos);
  BOOST_TEST(fake.callCount("/cgi-bin/user/info/batchget") == 0);
}

BOOST_AUTO_TEST_CASE(sends_template_message_that_the_platform_records_once_per_client_msg_id) {
  FakeWechatProcess fake({"--followers", "5"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string openid = fake.followers().begin()->first;
  const int64_t before = SystemClock().nowMs();
  auto first = client.sendTemplate(templateTo(openid, "msg-42"));
  auto again = client.sendTemplate(templateTo(openid, "msg-42"));
  const int64_t after = SystemClock().nowMs();
  BOOST_REQUIRE_MESSAGE(first, describe(errorOf(first)));
  BOOST_REQUIRE_MESSAGE(again, describe(errorOf(again)));
  BOOST_TEST(*first > (int64_t{1} << 53));  // the fake's msgids do not fit a double
  BOOST_TEST(*again == *first);
  const auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 1u);
  const nlohmann::json& body = delivered[0]["body"];
  BOOST_TEST(delivered[0]["api"].get<std::string>() == "template");
  BOOST_TEST(body["touser"].get<std::string>() == openid);
  BOOST_TEST(body["client_msg_id"].get<std::string>() == "msg-42");
  BOOST_TEST(body["miniprogram"]["pagepath"].get<std::string>() == "pages/inbox/index?from=digest");
  BOOST_TEST(body["data"]["keyword1"]["value"].get<std::string>() == "3 new replies");
  const int64_t atMs = delivered[0]["at_ms"].get<int64_t>();  // the receipt, to the millisecond
  BOOST_TEST(atMs >= before);
  BOOST_TEST(atMs <= after);
  BOOST_TEST(delivered[0]["at"].get<int64_t>() == atMs / 1000);
}

BOOST_AUTO_TEST_CASE(template_to_a_user_who_unfollowed_is_permanent_43004) {
  FakeWechatProcess fake({"--followers", "5"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string openid = fake.followers().begin()->first;
  fake.unfollow(openid);
  auto result = client.sendTemplate(templateTo(openid, "msg-1"));
  BOOST_REQUIRE(!result);
  BOOST_TEST(result.error().errcode == 43004);
  BOOST_TEST(kindName(result.error().kind) == std::string("permanent"));
  BOOST_TEST(!result.error().transient());
  BOOST_TEST(result.error().describe().find("errcode 43004") != std::string::npos);
  BOOST_TEST(fake.callCount("/cgi-bin/message/template/send") == 1);  // not retried
}

BOOST_AUTO_TEST_CASE(subscribe_message_spends_a_grant_and_fails_43101_without_one) {
  FakeWechatProcess fake;
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string mpOpenid = "oMPuser0000000000000000000001";
  fake.postJson("/__fake/grants",
                {{"mp_openid", mpOpenid}, {"template_id", "tmpl_sub"}, {"count", 1}});
  SubscribeMessage message;
  message.touser = mpOpenid;
  message.templateId = "tmpl_sub";
  message.page = "pages/inbox/index";
  message.data = {{"thing1", "New reply"}};
  auto first = client.sendSubscribe(message);
  auto second = client.sendSubscribe(message);
  BOOST_REQUIRE_MESSAGE(first, describe(errorOf(first)));
  BOOST_REQUIRE(!second);
  BOOST_TEST(second.error().errcode == 43101);
  BOOST_TEST(tokens.fetches == 1);
  const auto delivered = fake.getNdjson("/__fake/messages");
  BOOST_REQUIRE(delivered.size() == 1u);
  BOOST_TEST(delivered[0]["body"]["data"]["thing1"]["value"].get<std::string>() == "New reply");
}

BOOST_AUTO_TEST_CASE(jscode2session_returns_unionid_and_a_reused_code_gives_40163) {
  FakeWechatProcess fake;
  WechatClient client(clientSettingsFor(fake.baseUrl()));
  const std::string unionid = "oUNIONabcdefghijklmnopqrstu1";
  const std::string code = fake.mintLoginCode("oMPloginuser00000000000000001", unionid);
  auto session = client.jscode2session(code);
  BOOST_REQUIRE_MESSAGE(session, describe(errorOf(session)));
  BOOST_TEST(session->openid == "oMPloginuser00000000000000001");
  BOOST_TEST(session->unionid.value_or("") == unionid);
  BOOST_TEST(!session->sessionKey.empty());
  auto reused = client.jscode2session(code);
  BOOST_REQUIRE(!reused);
  BOOST_TEST(reused.error().errcode == 40163);
  BOOST_TEST(reused.error().describe().find(session->sessionKey) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(quota_reached_is_kind_quota_unretried_until_clear_quota) {
  FakeWechatProcess fake({"--followers", "5", "--quota", "template_send=2"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CallLog calls;
  settings.onCall = calls.observer();
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::string openid = fake.followers().begin()->first;
  BOOST_REQUIRE(client.sendTemplate(templateTo(openid, "q1")));
  BOOST_REQUIRE(client.sendTemplate(templateTo(openid, "q2")));
  auto refused = client.sendTemplate(templateTo(openid, "q3"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(kindName(refused.error().kind) == std::string("quota"));
  BOOST_TEST(refused.error().errcode == 45009);
  BOOST_TEST(calls.count("/cgi-bin/message/template/send") == 3);  // no retry of 45009
  BOOST_TEST(calls.count("/cgi-bin/message/template/send", 45009) == 1);

  auto quota = client.quotaGet("/cgi-bin/message/template/send");
  BOOST_REQUIRE_MESSAGE(quota, describe(errorOf(quota)));
  BOOST_TEST(quota->dailyLimit == 2);
  BOOST_TEST(quota->used == 2);
  BOOST_TEST(quota->remain == 0);
  auto cleared = client.clearQuota();
  BOOST_REQUIRE_MESSAGE(cleared, describe(errorOf(cleared)));
  BOOST_TEST(client.sendTemplate(templateTo(openid, "q4")).has_value());
}

// --- responses fake-wechat never gives ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(malformed_responses_are_bad_response_naming_the_api) {
  CannedHttpServer server;
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  using Call = std::function<std::optional<WechatError>(WechatClient&)>;
  const Call followers = [](WechatClient& c) { return errorOf(c.getFollowers("")); };
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::vector<std::tuple<std::string, std::string, Call>> cases = {
      {"/cgi-bin/user/get", "<html>502 Bad Gateway</html>", followers},
      {"/cgi-bin/user/get", "", followers},
      {"/cgi-bin/user/get", "[1,2,3]", followers},
      {"/cgi-bin/user/get", deep, followers},
      {"/cgi-bin/user/get", R"({"total":3,"count")", followers},
      {"/cgi-bin/user/get", R"({"total":"3","count":1,"data":{"openid":["a"]}})", followers},
      {"/cgi-bin/user/get", R"({"total":3,"count":2,"data":{"openid":["a"]}})", followers},
      {"/cgi-bin/user/get", R"({"errcode":"0","total":0,"count":0})", followers},
      {"/cgi-bin/user/info", R"({"subscribe":1,"openid":"has space"})",
       [](WechatClient& c) { return errorOf(c.userInfo("oAbc")); }},
      {"/cgi-bin/user/info", R"({"subscribe":true,"openid":"oAbc"})",
       [](WechatClient& c) { return errorOf(c.userInfo("oAbc")); }},
      {"/cgi-bin/user/info/batchget", R"({"user_info_list":{"openid":"oAbc"}})",
       [](WechatClient& c) { return errorOf(c.batchGetUserInfo({"oAbc"})); }},
      {"/cgi-bin/message/template/send", R"({"errcode":0,"errmsg":"ok","msgid":"12"})",
       [](WechatClient& c) { return errorOf(c.sendTemplate(templateTo("oAbc", ""))); }},
      {"/cgi-bin/token", R"({"access_token":"","expires_in":7200})",
       [](WechatClient& c) { return errorOf(c.fetchToken(App::Oa)); }},
      {"/cgi-bin/stable_token", R"({"access_token":"abc","expires_in":7200.5})",
       [](WechatClient& c) { return errorOf(c.fetchStableToken(App::Mp, false)); }},
      {"/sns/jscode2session", R"({"session_key":"SESSIONKEYVALUE","unionid":"oU1"})",
       [](WechatClient& c) { return errorOf(c.jscode2session("code1")); }},
      {"/cgi-bin/openapi/quota/get", R"({"quota":{"daily_limit":-5,"used":0,"remain":0}})",
       [](WechatClient& c) { return errorOf(c.quotaGet("/cgi-bin/message/template/send")); }},
  };
  for (const auto& [path, body, call] : cases) {
    server.answer(path, 200, body);
    std::optional<WechatError> error;
    BOOST_REQUIRE_NO_THROW(error = call(client));
    BOOST_TEST_CONTEXT(path << " answering " << body.substr(0, 60)) {
      BOOST_REQUIRE(error.has_value());
      BOOST_TEST(kindName(error->kind) == std::string("bad_response"));
      BOOST_TEST(error->api == path);
      BOOST_TEST(error->describe().find("SESSIONKEYVALUE") == std::string::npos);
    }
  }
  BOOST_TEST(tokens.rejections == 0);
}

BOOST_AUTO_TEST_CASE(garbled_text_and_malformed_entries_cost_only_what_they_garble) {
  CannedHttpServer server;
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  // A raw 0x14 and bytes that are not UTF-8 in one remark, an entry whose openid is a number.
  server.answer("/cgi-bin/user/info/batchget", 200,
                "{\"user_info_list\":[{\"subscribe\":1,\"openid\":\"oA\",\"unionid\":\"uA\","
                "\"remark\":\"see \x14 you \x80\xFF\",\"tagid_list\":\"none\"},"
                "{\"subscribe\":1,\"openid\":7},{\"subscribe\":0,\"openid\":\"oC\"}]}");
  auto batch = client.batchGetUserInfo({"oA", "oB", "oC"});
  BOOST_REQUIRE_MESSAGE(batch, describe(errorOf(batch)));
  BOOST_REQUIRE(batch->size() == 2u);
  BOOST_TEST((*batch)[0].unionid.value_or("") == "uA");
  BOOST_TEST((*batch)[0].remark == "see \x14 you \xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST((*batch)[0].tagIds.empty());
  BOOST_TEST((*batch)[1].openid == "oC");
  // A follower list with one malformed openid: the others are kept, the one counted.
  server.answer("/cgi-bin/user/get", 200,
                R"({"total":3,"count":3,"data":{"openid":["oA",7,"oC"]},"next_openid":"oC"})");
  auto page = client.getFollowers("");
  BOOST_REQUIRE_MESSAGE(page, describe(errorOf(page)));
  BOOST_TEST(page->openids == (std::vector<std::string>{"oA", "oC"}));
  BOOST_TEST(page->dropped == 1);
  // Every call reads its answer the same way.
  server.answer("/cgi-bin/message/template/send", 200,
                "{\"errcode\":0,\"errmsg\":\"o\x01k\xFE\",\"msgid\":12}");
  auto sent = client.sendTemplate(templateTo("oAbc", "m1"));
  BOOST_REQUIRE_MESSAGE(sent, describe(errorOf(sent)));
  BOOST_TEST(*sent == 12);
}

BOOST_AUTO_TEST_CASE(fake_wechat_dirty_remarks_reach_the_client_repaired) {
  FakeWechatProcess fake({"--followers", "120", "--dirty-text-rate", "1"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  const std::vector<std::string> openids = allFollowerOpenids(client);
  auto batch = client.batchGetUserInfo({openids.begin(), openids.begin() + 100});
  BOOST_REQUIRE_MESSAGE(batch, describe(errorOf(batch)));
  BOOST_TEST(batch->size() == 100u);
  for (const UserInfo& user : *batch) {
    BOOST_TEST(user.remark == "see \x14 you \xEF\xBF\xBD\xEF\xBF\xBD");
  }
  auto one = client.userInfo(openids.back());
  BOOST_REQUIRE_MESSAGE(one, describe(errorOf(one)));
  BOOST_TEST(one->remark == "see \x14 you \xEF\xBF\xBD\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(platform_errcodes_map_to_their_kinds) {
  CannedHttpServer server;
  WechatClientSettings settings = clientSettingsFor(server.baseUrl());
  FixedTokenSource tokens("token-for-canned-server");
  WechatClient client(settings, tokens);
  const std::vector<std::pair<int, std::string>> expected = {
      {45009, "quota"},     {45011, "frequency"}, {40164, "ip_whitelist"},
      {40003, "permanent"}, {47003, "permanent"}, {42001, "token_invalid"}};
  for (const auto& [errcode, kind] : expected) {
    server.answer(
        "/cgi-bin/message/template/send", 200,
        nlohmann::json{{"errcode", errcode},
                       {"errmsg", "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist"}}
            .dump());
    auto result = client.sendTemplate(templateTo("oAbc", "m1"));
    BOOST_REQUIRE(!result);
    BOOST_TEST(kindName(result.error().kind) == kind);
    BOOST_TEST(result.error().errcode == errcode);
  }
  BOOST_TEST(tokens.rejections == 2);  // 42001: the token and the retry's token
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
