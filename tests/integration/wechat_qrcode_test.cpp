// Parametric QR codes end to end against the real fake-wechat: WechatClient::createQrCode
// (QR_STR_SCENE), the fake's showqrcode image while the ticket lives, and POST /__fake/scan,
// whose subscribe/SCAN pushes - plaintext and safe mode, built by the fake's own crypto - open
// through the client's CallbackEnvelope with the scene intact (the two sides share no code).
#include <Poco/URI.h>

#include <boost/test/unit_test.hpp>
#include <ctime>
#include <string>
#include <variant>

#include "support/canned_http_server.h"
#include "support/fake_wechat_process.h"
#include "support/wechat_client_fixtures.h"
#include "wechat/callback/callback_envelope.h"
#include "wechat/wechat_client.h"

namespace wxb::test {
namespace {

// The fake's default callback settings (tests/fake_wechat/options.h).
CallbackSettings fakeCallbackSettings(CallbackEncryption mode) {
  return CallbackSettings{
      "wxfaketoken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "", "wxfakeoa", mode, 300,
      65536};
}

// What the fake sent to the callback URL, opened by our envelope.
ReceivedPush openSent(const nlohmann::json& answer, CallbackEncryption mode) {
  BOOST_REQUIRE_MESSAGE(answer.contains("sent"), answer.dump());
  Poco::URI sentUrl(answer["sent"]["url"].get<std::string>());
  auto query = readCallbackQuery(sentUrl.getQueryParameters());
  BOOST_REQUIRE(query.has_value());
  auto received = CallbackEnvelope(fakeCallbackSettings(mode))
                      .receive(*query, answer["sent"]["body"].get<std::string>(),
                               static_cast<int64_t>(std::time(nullptr)));
  if (!received) BOOST_FAIL(received.error().field + " " + received.error().message);
  return *received;
}

// A fake-wechat and a client of it with a token source.
struct FakeAndClient {
  FakeWechatProcess fake;
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens{settings};
  WechatClient client{settings, tokens};
};

QrCode createCode(WechatClient& client, const std::string& scene, int64_t seconds) {
  auto code = client.createQrCode(scene, seconds);
  BOOST_REQUIRE_MESSAGE(code.has_value(), describe(errorOf(code)));
  return *code;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wechat_qrcode)

BOOST_FIXTURE_TEST_CASE(a_temporary_code_shows_its_image_until_it_expires, FakeAndClient) {
  QrCode code = createCode(client, "bind_Ab3", 600);
  BOOST_TEST(code.expireSeconds == 600);
  BOOST_TEST(code.url.starts_with("http://weixin.qq.com/q/"));
  const std::string image = showQrCodeUrl(code.ticket, fake.baseUrl());
  BOOST_TEST(image.starts_with(fake.baseUrl() + "/cgi-bin/showqrcode?ticket=gQ"));
  auto shown = fake.request("GET", image.substr(fake.baseUrl().size()));
  BOOST_TEST(shown.status == 200);
  BOOST_TEST(shown.body.find("scene bind_Ab3") != std::string::npos);
  fake.postJson("/__fake/advance-clock", {{"seconds", 601}});
  BOOST_TEST(fake.request("GET", image.substr(fake.baseUrl().size())).status == 404);
}

BOOST_FIXTURE_TEST_CASE(bad_scenes_and_lifetimes_are_refused_before_any_request, FakeAndClient) {
  for (auto [scene, seconds] : {std::pair<std::string, int64_t>{"", 60},
                                {std::string(65, 's'), 60},
                                {"ok", 0},
                                {"ok", 2'592'001}}) {
    auto code = client.createQrCode(scene, seconds);
    BOOST_REQUIRE(!code.has_value());
    BOOST_TEST(code.error().errcode == 0);
  }
  BOOST_TEST(fake.callCount("/cgi-bin/qrcode/create") == 0);
  // 64 characters of CJK are 192 bytes and still one valid scene.
  std::string cjk;
  for (int i = 0; i < 64; ++i) cjk += "\xE4\xB8\xAD";
  BOOST_TEST(client.createQrCode(cjk, 60).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_scan_pushes_subscribe_then_scan_with_the_scene, FakeAndClient) {
  CannedHttpServer callback;
  callback.answer("/cb", 200, "\"success\"");
  QrCode code = createCode(client, "bind_Xy9", 600);
  const std::string openid = "oScanner00000000000000000001";
  nlohmann::json scan = {
      {"url", callback.baseUrl() + "/cb"}, {"ticket", code.ticket}, {"openid", openid}};
  ReceivedPush first = openSent(fake.postJson("/__fake/scan", scan), CallbackEncryption::Plain);
  auto* follow = std::get_if<FollowEvent>(&first.event.body);
  BOOST_REQUIRE(follow != nullptr);
  BOOST_TEST(follow->scene.value_or("") == "bind_Xy9");
  BOOST_TEST(follow->ticket.value_or("") == code.ticket);
  BOOST_TEST(fake.followers().count(openid) == 1u);
  scan["encrypt"] = true;
  ReceivedPush second = openSent(fake.postJson("/__fake/scan", scan), CallbackEncryption::Safe);
  auto* rescan = std::get_if<ScanEvent>(&second.event.body);
  BOOST_REQUIRE(rescan != nullptr);
  BOOST_TEST(rescan->scene == "bind_Xy9");
  BOOST_TEST(second.encrypted);
  BOOST_TEST(callback.hits("/cb") == 2);
}

BOOST_FIXTURE_TEST_CASE(an_expired_ticket_cannot_be_scanned, FakeAndClient) {
  QrCode code = createCode(client, "bind_Old", 60);
  fake.postJson("/__fake/advance-clock", {{"seconds", 61}});
  auto answer = fake.request("POST", "/__fake/scan",
                             nlohmann::json{{"url", "http://127.0.0.1:9/cb"},
                                            {"ticket", code.ticket},
                                            {"openid", "oScanner00000000000000000002"}}
                                 .dump());
  BOOST_TEST(answer.status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
