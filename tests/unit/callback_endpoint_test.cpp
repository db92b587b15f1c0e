// answerVerification / answerPush: the HTTP answer of a callback endpoint for each outcome -
// `success` after the handler returned (applied, duplicate, ignored), the echostr, the
// envelope's 4xx with a JSON error naming the field (the handler never called), and 503 when
// the store cannot record the push (so that the platform retries).
#include "bridge/callback/callback_endpoint.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "store/store_error.h"
#include "support/log_capture.h"
#include "wechat/callback/digest.h"

using namespace wxb;

namespace {

const std::string kToken = "wxbtoken";
constexpr int64_t kNowMs = 1'700'000'000'000;
const std::string kPush =
    "<xml><ToUserName>gh_fakeoa</ToUserName><FromUserName>oUser1</FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>unsubscribe</Event></xml>";

QueryPairs signedQuery(const std::string& token = kToken) {
  const std::string timestamp = "1700000000", nonce = "42";
  return {{"signature", sortedSha1Hex({token, timestamp, nonce})},
          {"timestamp", timestamp},
          {"nonce", nonce},
          {"echostr", "e123"}};
}

struct Fixture {
  int calls = 0;
  PushOutcome outcome = PushOutcome::Applied;
  bool storeDown = false;
  CallbackEndpoint endpoint{"/wechat/callback",
                            std::make_shared<CallbackEnvelope>(CallbackSettings{
                                kToken, "", "", "wxfakeoa", CallbackEncryption::Plain, 300, 65536}),
                            [this](const PushEvent& push, int64_t) {
                              ++calls;
                              BOOST_TEST(push.header.fromUser == "oUser1");
                              if (storeDown) throw StoreUnavailable("connection refused");
                              return outcome;
                            }};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(callback_endpoint, Fixture)

BOOST_AUTO_TEST_CASE(a_recorded_push_is_answered_success) {
  auto answer = answerPush(endpoint, signedQuery(), kPush, kNowMs);
  BOOST_TEST(answer.response.status == 200);
  BOOST_TEST(answer.response.body == "success");
  BOOST_TEST(answer.event == "unsubscribe");
  BOOST_TEST(answer.outcome == "applied");
  outcome = PushOutcome::Duplicate;
  BOOST_TEST(answerPush(endpoint, signedQuery(), kPush, kNowMs).outcome == "duplicate");
  outcome = PushOutcome::Ignored;
  BOOST_TEST(answerPush(endpoint, signedQuery(), kPush, kNowMs).outcome == "unknown_event");
  BOOST_TEST(calls == 3);
}

BOOST_AUTO_TEST_CASE(a_store_that_cannot_record_gets_503_so_the_platform_retries) {
  storeDown = true;
  auto answer = answerPush(endpoint, signedQuery(), kPush, kNowMs);
  BOOST_TEST(answer.response.status == 503);
  BOOST_TEST(answer.outcome == "store_unavailable");
  BOOST_TEST(answer.response.body.find("connection") == std::string::npos);
}

// The mini program's endpoint has settings of its own: its refusals name its keys, and the log
// line says which endpoint refused (REVIEW4 R7).
BOOST_AUTO_TEST_CASE(a_refusal_names_the_endpoint_and_its_own_keys) {
  CallbackSettings mp{kToken, "", "", "wxfakemp", CallbackEncryption::Plain, 300, 65536};
  mp.keyPrefix = "callback.mp.";
  CallbackEndpoint mpEndpoint{"/wechat/callback/mp", std::make_shared<CallbackEnvelope>(mp),
                              endpoint.handler};
  test::LogCapture log("wxb.callback");
  auto forged = answerPush(mpEndpoint, signedQuery("othertoken"), kPush, kNowMs);
  auto message = nlohmann::json::parse(forged.response.body)["error"]["message"];
  BOOST_TEST(message.get<std::string>() == "signature: does not match callback.mp.token");
  BOOST_TEST(log.all().find("callback refused at /wechat/callback/mp (bad_signature): signature: "
                            "does not match callback.mp.token") != std::string::npos);
  auto oa = answerPush(endpoint, signedQuery("othertoken"), kPush, kNowMs);
  BOOST_TEST(nlohmann::json::parse(oa.response.body)["error"]["message"].get<std::string>() ==
             "signature: does not match callback.token");
  BOOST_TEST(log.all().find("refused at /wechat/callback (bad_signature)") != std::string::npos);
  BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(refusals_are_4xx_json_and_never_reach_the_handler) {
  auto forged = answerPush(endpoint, signedQuery("othertoken"), kPush, kNowMs);
  BOOST_TEST(forged.response.status == 403);
  BOOST_TEST(forged.outcome == "bad_signature");
  auto error = nlohmann::json::parse(forged.response.body)["error"];
  BOOST_TEST(error["code"] == "bad_signature");
  BOOST_TEST(error["message"].get<std::string>().starts_with("signature"));
  auto stale = answerPush(endpoint, signedQuery(), kPush, kNowMs + 301'000);
  BOOST_TEST(stale.response.status == 403);
  BOOST_TEST(stale.outcome == "stale");
  auto junk = answerPush(endpoint, signedQuery(), "<xml><FromUserName>", kNowMs);
  BOOST_TEST(junk.response.status == 400);
  BOOST_TEST(junk.outcome == "unparseable");
  BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(url_verification_echoes_echostr_or_refuses) {
  auto ok = answerVerification(endpoint, signedQuery(), kNowMs);
  BOOST_TEST(ok.response.status == 200);
  BOOST_TEST(ok.response.body == "e123");
  BOOST_TEST(ok.outcome == "verified");
  BOOST_TEST(answerVerification(endpoint, signedQuery("othertoken"), kNowMs).response.status ==
             403);
}

BOOST_AUTO_TEST_SUITE_END()
