// CallbackEnvelope: URL verification, every encryption mode against every kind of push, key
// rollover, wrong appid, wrong or missing signatures, stale timestamps, oversized bodies and
// hostile documents behind a valid signature - each refused with its reason and HTTP status.
// The platform's published Python-sample push goes through the whole envelope.
#include "wechat/callback/callback_envelope.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <variant>

#include "wechat/callback/digest.h"

using namespace wxb;

namespace {

const std::string kKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const std::string kOldKey = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlk0";
const std::string kToken = "wxbtoken";
const std::string kAppid = "wxfakeoa";
constexpr int64_t kNow = 1'700'000'000;
const std::string kOpenid = "oFollower0000000000000000001";
const std::string kPush =
    "<xml><ToUserName><![CDATA[gh_fakeoa]]></ToUserName><FromUserName><![CDATA[" + kOpenid +
    "]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[unsubscribe]]></Event></xml>";

CallbackSettings settings(CallbackEncryption mode, std::string previous = "") {
  return CallbackSettings{kToken, kKey, std::move(previous), kAppid, mode, 300, 65536};
}

CallbackQuery signedQuery(int64_t timestamp = kNow, const std::string& token = kToken) {
  CallbackQuery query;
  query.timestamp = std::to_string(timestamp);
  query.nonce = "1320562132";
  query.signature = sortedSha1Hex({token, query.timestamp, query.nonce});
  return query;
}

struct EncryptedPush {
  CallbackQuery query;
  std::string body;
};

// What the platform sends in safe mode: the Encrypt envelope and a msg_signature over it.
EncryptedPush encrypted(const std::string& document, const std::string& key = kKey,
                        const std::string& appid = kAppid, const std::string& plainFields = "") {
  MessageCipher cipher(key, "", appid);
  std::string encrypt = cipher.encrypt(document);
  EncryptedPush push{signedQuery(), "<xml><ToUserName><![CDATA[gh_fakeoa]]></ToUserName>" +
                                        plainFields + "<Encrypt><![CDATA[" + encrypt +
                                        "]]></Encrypt></xml>"};
  push.query.encryptType = "aes";
  push.query.msgSignature =
      sortedSha1Hex({kToken, push.query.timestamp, push.query.nonce, encrypt});
  return push;
}

CallbackRefusal refusalOf(const CallbackResult<ReceivedPush>& result) {
  BOOST_REQUIRE(!result.has_value());
  return result.error();
}

bool is(const CallbackRefusal& refusal, CallbackRefusal::Reason reason, int status) {
  return refusal.reason == reason && refusal.httpStatus() == status;
}

using Reason = CallbackRefusal::Reason;

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_envelope)

BOOST_AUTO_TEST_CASE(url_verification_echoes_echostr_on_a_match_only) {
  CallbackEnvelope envelope(settings(CallbackEncryption::Plain));
  CallbackQuery query = signedQuery();
  query.echostr = "4075181314397890557";
  BOOST_TEST(envelope.verifyUrl(query, kNow).value_or("") == "4075181314397890557");
  CallbackQuery forged = signedQuery(kNow, "othertoken");
  forged.echostr = query.echostr;
  BOOST_TEST(is(envelope.verifyUrl(forged, kNow).error(), Reason::BadSignature, 403));
  BOOST_TEST(is(envelope.verifyUrl(query, kNow + 301).error(), Reason::Stale, 403));
  query.echostr = "<script>";
  BOOST_TEST(is(envelope.verifyUrl(query, kNow).error(), Reason::Unparseable, 400));
}

BOOST_AUTO_TEST_CASE(a_plaintext_push_opens_in_plain_and_compatible_mode) {
  for (auto mode : {CallbackEncryption::Plain, CallbackEncryption::Compatible}) {
    auto received = CallbackEnvelope(settings(mode)).receive(signedQuery(), kPush, kNow);
    BOOST_REQUIRE(received.has_value());
    BOOST_TEST(std::holds_alternative<UnfollowEvent>(received->event.body));
    BOOST_TEST(!received->encrypted);
  }
  auto refused =
      CallbackEnvelope(settings(CallbackEncryption::Safe)).receive(signedQuery(), kPush, kNow);
  BOOST_TEST(is(refusalOf(refused), Reason::ModeRefused, 403));
}

BOOST_AUTO_TEST_CASE(an_encrypted_push_opens_in_safe_and_compatible_mode) {
  EncryptedPush push = encrypted(kPush);
  for (auto mode : {CallbackEncryption::Safe, CallbackEncryption::Compatible}) {
    auto received = CallbackEnvelope(settings(mode)).receive(push.query, push.body, kNow);
    BOOST_REQUIRE(received.has_value());
    BOOST_TEST(received->event.header.fromUser == kOpenid);
    BOOST_TEST(received->encrypted);
    BOOST_TEST(!received->previousKey);
  }
  auto refused =
      CallbackEnvelope(settings(CallbackEncryption::Plain)).receive(push.query, push.body, kNow);
  BOOST_TEST(is(refusalOf(refused), Reason::ModeRefused, 403));
}

BOOST_AUTO_TEST_CASE(a_json_push_opens_encrypted_too) {
  const std::string json = R"({"ToUserName":"gh_fakeoa","FromUserName":")" + kOpenid +
                           R"(","CreateTime":1700000000,"MsgType":"event","Event":"subscribe"})";
  MessageCipher cipher(kKey, "", kAppid);
  std::string encrypt = cipher.encrypt(json);
  CallbackQuery query = signedQuery();
  query.encryptType = "aes";
  query.msgSignature = sortedSha1Hex({kToken, query.timestamp, query.nonce, encrypt});
  auto received =
      CallbackEnvelope(settings(CallbackEncryption::Safe))
          .receive(query, R"({"ToUserName":"gh_fakeoa","Encrypt":")" + encrypt + "\"}", kNow);
  BOOST_REQUIRE(received.has_value());
  BOOST_TEST(std::holds_alternative<FollowEvent>(received->event.body));
}

BOOST_AUTO_TEST_CASE(compatible_mode_reads_the_encrypted_part_not_the_plaintext_beside_it) {
  const std::string forgedPlain =
      "<FromUserName>oForged</FromUserName><MsgType>event</MsgType>"
      "<Event>subscribe</Event>";
  EncryptedPush push = encrypted(kPush, kKey, kAppid, forgedPlain);
  auto received = CallbackEnvelope(settings(CallbackEncryption::Compatible))
                      .receive(push.query, push.body, kNow);
  BOOST_REQUIRE(received.has_value());
  BOOST_TEST(received->event.header.fromUser == kOpenid);
  BOOST_TEST(std::holds_alternative<UnfollowEvent>(received->event.body));
}

BOOST_AUTO_TEST_CASE(a_key_rollover_loses_nothing) {
  EncryptedPush push = encrypted(kPush, kOldKey);
  auto rolled = CallbackEnvelope(settings(CallbackEncryption::Safe, kOldKey))
                    .receive(push.query, push.body, kNow);
  BOOST_REQUIRE(rolled.has_value());
  BOOST_TEST(rolled->previousKey);
  auto forgotten =
      CallbackEnvelope(settings(CallbackEncryption::Safe)).receive(push.query, push.body, kNow);
  BOOST_TEST(is(refusalOf(forgotten), Reason::Unparseable, 400));
  BOOST_TEST(refusalOf(forgotten).field == "Encrypt");
}

BOOST_AUTO_TEST_CASE(a_push_for_another_appid_is_refused) {
  EncryptedPush push = encrypted(kPush, kKey, "wxotherapp");
  auto refused =
      CallbackEnvelope(settings(CallbackEncryption::Safe)).receive(push.query, push.body, kNow);
  BOOST_TEST(is(refusalOf(refused), Reason::BadAppid, 403));
}

BOOST_AUTO_TEST_CASE(wrong_or_missing_signatures_are_refused) {
  CallbackEnvelope safe(settings(CallbackEncryption::Safe));
  EncryptedPush push = encrypted(kPush);
  auto badMsgSignature = push;
  badMsgSignature.query.msgSignature[0] = badMsgSignature.query.msgSignature[0] == 'a' ? 'b' : 'a';
  BOOST_TEST(is(refusalOf(safe.receive(badMsgSignature.query, push.body, kNow)),
                Reason::BadSignature, 403));
  auto noMsgSignature = push;
  noMsgSignature.query.msgSignature.clear();
  BOOST_TEST(refusalOf(safe.receive(noMsgSignature.query, push.body, kNow)).field ==
             "msg_signature");
  auto badSignature = push;
  badSignature.query.signature = sortedSha1Hex({"othertoken", push.query.timestamp, "1"});
  BOOST_TEST(refusalOf(safe.receive(badSignature.query, push.body, kNow)).field == "signature");
  CallbackEnvelope plain(settings(CallbackEncryption::Plain));
  CallbackQuery query = signedQuery();
  query.signature = "";
  BOOST_TEST(is(refusalOf(plain.receive(query, kPush, kNow)), Reason::BadSignature, 403));
  query.signature = std::string(40, 'g');
  BOOST_TEST(is(refusalOf(plain.receive(query, kPush, kNow)), Reason::BadSignature, 403));
}

// Usertest5 F6: a signature parameter that is not there says so - "does not match" sent the
// operator to the token when a proxy had dropped the query parameters. Still 403
// bad_signature; no message holds the token or the expected signature.
BOOST_AUTO_TEST_CASE(a_missing_signature_is_reported_as_missing_not_as_a_mismatch) {
  CallbackEnvelope safe(settings(CallbackEncryption::Safe));
  const EncryptedPush push = encrypted(kPush);
  auto refusalWith = [&](auto change) {
    EncryptedPush sent = push;
    change(sent.query);
    return refusalOf(safe.receive(sent.query, sent.body, kNow));
  };
  const std::string missing =
      "is missing from the query (the platform always sends it: is a proxy or rewrite rule "
      "dropping query parameters?)";
  std::vector<CallbackRefusal> refusals = {
      refusalWith([](CallbackQuery& q) { q.signature.clear(); }),
      refusalWith([](CallbackQuery& q) { q.msgSignature.clear(); }),
      refusalWith([](CallbackQuery& q) { q.signature[0] = q.signature[0] == 'a' ? 'b' : 'a'; }),
      refusalWith([](CallbackQuery& q) { q.msgSignature = std::string(40, 'g'); })};
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"signature", missing},
      {"msg_signature", missing},
      {"signature", "does not match callback.token"},
      {"msg_signature", "does not match callback.token"}};
  for (size_t i = 0; i < refusals.size(); ++i) {
    BOOST_TEST_CONTEXT("case " << i) {
      BOOST_TEST(is(refusals[i], Reason::BadSignature, 403));
      BOOST_TEST(refusals[i].field == expected[i].first);
      BOOST_TEST(refusals[i].message == expected[i].second);
      BOOST_TEST(refusals[i].message.find(kToken) == std::string::npos);
      BOOST_TEST(refusals[i].message.find(push.query.msgSignature) == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_uppercase_signature_still_matches) {
  CallbackQuery query = signedQuery();
  for (char& c : query.signature) c = static_cast<char>(std::toupper(c));
  BOOST_TEST(CallbackEnvelope(settings(CallbackEncryption::Plain))
                 .receive(query, kPush, kNow)
                 .has_value());
}

BOOST_AUTO_TEST_CASE(a_stale_or_future_timestamp_is_refused) {
  CallbackEnvelope envelope(settings(CallbackEncryption::Plain));
  BOOST_TEST(envelope.receive(signedQuery(kNow - 300), kPush, kNow).has_value());
  BOOST_TEST(
      is(refusalOf(envelope.receive(signedQuery(kNow - 301), kPush, kNow)), Reason::Stale, 403));
  BOOST_TEST(
      is(refusalOf(envelope.receive(signedQuery(kNow + 301), kPush, kNow)), Reason::Stale, 403));
  CallbackQuery query = signedQuery();
  query.timestamp = "17e8";
  BOOST_TEST(refusalOf(envelope.receive(query, kPush, kNow)).field == "timestamp");
}

// A follow change wins by CreateTime: a push dated in the future (a replayed signed query in
// plaintext mode with a body of 2100) would pin the follower's state until then.
BOOST_AUTO_TEST_CASE(a_create_time_ahead_of_the_clock_by_more_than_the_skew_is_refused) {
  CallbackEnvelope envelope(settings(CallbackEncryption::Plain));
  auto pushAt = [](int64_t createTime) {
    std::string push = kPush;
    push.replace(push.find("1700000000"), 10, std::to_string(createTime));
    return push;
  };
  BOOST_TEST(envelope.receive(signedQuery(), pushAt(kNow + 300), kNow).has_value());
  CallbackRefusal future = refusalOf(envelope.receive(signedQuery(), pushAt(kNow + 301), kNow));
  BOOST_TEST(is(future, Reason::Stale, 403));
  BOOST_TEST(future.field == "CreateTime");
  BOOST_TEST(
      is(refusalOf(envelope.receive(signedQuery(), pushAt(4102444800), kNow)), Reason::Stale, 403));
}

BOOST_AUTO_TEST_CASE(an_oversized_body_is_refused_before_anything_else) {
  CallbackEnvelope envelope(settings(CallbackEncryption::Plain));
  std::string huge = "<xml><a>" + std::string(10 * 1024 * 1024, 'x') + "</a></xml>";
  CallbackQuery unsigned_;
  BOOST_TEST(is(refusalOf(envelope.receive(unsigned_, huge, kNow)), Reason::TooLarge, 413));
}

BOOST_AUTO_TEST_CASE(hostile_documents_behind_a_valid_signature_are_refused) {
  CallbackEnvelope plain(settings(CallbackEncryption::Plain));
  CallbackEnvelope safe(settings(CallbackEncryption::Safe));
  const std::string laughs =
      "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
      "<xml><FromUserName>&b;</FromUserName></xml>";
  const std::string external =
      "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
      "<xml><Encrypt>&e;</Encrypt></xml>";
  for (const std::string& body : {laughs, external, std::string("<xml><a>"), std::string("{")}) {
    BOOST_TEST(is(refusalOf(plain.receive(signedQuery(), body, kNow)), Reason::Unparseable, 400));
    CallbackQuery query = signedQuery();
    query.encryptType = "aes";
    BOOST_TEST(is(refusalOf(safe.receive(query, body, kNow)), Reason::Unparseable, 400));
  }
  // The hostile document inside a valid encryption fares no better.
  EncryptedPush inner = encrypted(laughs);
  BOOST_TEST(is(refusalOf(safe.receive(inner.query, inner.body, kNow)), Reason::Unparseable, 400));
}

BOOST_AUTO_TEST_CASE(a_broken_encrypt_value_is_refused) {
  CallbackEnvelope safe(settings(CallbackEncryption::Safe));
  EncryptedPush push = encrypted(kPush);
  std::size_t at = push.body.find("]]></Encrypt>");
  std::string truncated = push.body.substr(0, at - 5) + push.body.substr(at);
  std::string encrypt = truncated.substr(truncated.find("<Encrypt><![CDATA[") + 18);
  encrypt = encrypt.substr(0, encrypt.find("]]>"));
  push.query.msgSignature =
      sortedSha1Hex({kToken, push.query.timestamp, push.query.nonce, encrypt});
  auto refusal = refusalOf(safe.receive(push.query, truncated, kNow));
  BOOST_TEST(is(refusal, Reason::Unparseable, 400));
  BOOST_TEST(refusal.message == "Encrypt is not base64");
  BOOST_TEST(refusalOf(safe.receive(push.query, "<xml><Encrypt></Encrypt></xml>", kNow)).field ==
             "Encrypt");
}

BOOST_AUTO_TEST_CASE(a_repeated_query_parameter_is_refused) {
  auto query = readCallbackQuery({{"signature", "a"}, {"timestamp", "1"}, {"signature", "b"}});
  BOOST_REQUIRE(!query.has_value());
  BOOST_TEST(query.error().field == "signature");
  auto fine = readCallbackQuery({{"signature", "a"}, {"openid", "o1"}, {"encrypt_type", "aes"}});
  BOOST_REQUIRE(fine.has_value());
  BOOST_TEST(fine->encryptType == "aes");
}

BOOST_AUTO_TEST_CASE(the_published_python_sample_push_opens_through_the_envelope) {
  // Sample.py of the official message-encryption sample code: a compatible-mode body.
  CallbackSettings sample{
      "spamtest", kKey, "", "wx2c2769f8efd9abc2", CallbackEncryption::Compatible, 300, 65536};
  CallbackQuery query;
  query.timestamp = "1409735669";
  query.nonce = "1320562132";
  query.signature = "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a";
  query.encryptType = "aes";
  query.msgSignature = "5d197aaffba7e9b25a30732f161a50dee96bd5fa";
  const std::string body =
      "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA["
      "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType>"
      "<![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728"
      "</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+"
      "LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41"
      "IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KW"
      "wMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD"
      "+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]>"
      "</Encrypt></xml>";
  auto received = CallbackEnvelope(sample).receive(query, body, 1409735669);
  BOOST_REQUIRE(received.has_value());
  BOOST_TEST(received->event.header.fromUser == "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
  BOOST_TEST(received->event.header.toUser == "gh_10f6c3c3ac5a");
  BOOST_TEST(std::get<UserMessage>(received->event.body).msgId.value_or(0) == 6054768590064713728);
}

BOOST_AUTO_TEST_CASE(a_sealed_reply_is_encrypted_and_signed) {
  CallbackEnvelope envelope(settings(CallbackEncryption::Safe));
  std::string reply = envelope.seal("success", kNow);
  auto document = parsePushXml(reply);
  BOOST_REQUIRE(document.has_value());
  const std::string& encrypt = document->child("Encrypt")->text;
  const std::string& nonce = document->child("Nonce")->text;
  BOOST_TEST(document->child("TimeStamp")->text == std::to_string(kNow));
  BOOST_TEST(document->child("MsgSignature")->text ==
             sortedSha1Hex({kToken, std::to_string(kNow), nonce, encrypt}));
  auto plain = MessageCipher(kKey, "", kAppid).decrypt(encrypt);
  BOOST_REQUIRE(plain.has_value());
  BOOST_TEST(plain->message == "success");
}

BOOST_AUTO_TEST_CASE(unusable_settings_are_named_without_their_values) {
  auto bad = [](CallbackSettings s) -> std::string {
    try {
      CallbackEnvelope envelope(std::move(s));
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "";
  };
  CallbackSettings s = settings(CallbackEncryption::Safe);
  s.token = "a!";
  BOOST_TEST(bad(s).starts_with("token"));
  s = settings(CallbackEncryption::Safe);
  s.aesKey = "";
  BOOST_TEST(bad(s).starts_with("aes_key"));
  s = settings(CallbackEncryption::Safe, "not-a-key");
  BOOST_TEST(bad(s).starts_with("aes_key_previous"));
  BOOST_TEST(bad(s).find("not-a-key") == std::string::npos);
  s = settings(CallbackEncryption::Plain);
  s.aesKey = "";
  BOOST_TEST(bad(s).empty());
  CallbackEncryption mode;
  BOOST_TEST(parseCallbackEncryption("compatible", mode));
  BOOST_TEST(static_cast<int>(mode) == static_cast<int>(CallbackEncryption::Compatible));
  BOOST_TEST(!parseCallbackEncryption("aes", mode));
}

BOOST_AUTO_TEST_SUITE_END()
