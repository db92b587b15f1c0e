// MessageCipher and the signature digests against the platform's published examples (the
// official message-encryption sample code, WXBizMsgCrypt: its Java test vectors with the fixed
// random prefix "aaaabbbbccccdddd", and the Python/PHP sample's push with its msg_signature),
// then round trips, key rollover, wrong appid and every malformed ciphertext we can build.
#include <openssl/evp.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "wechat/callback/digest.h"
#include "wechat/callback/message_cipher.h"

using namespace wxb;

namespace {

// The official sample's EncodingAESKey, shared by both published examples.
const std::string kSampleKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const std::string kOtherKey = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlk0";

// Java sample (WXBizMsgCryptTest): appid, prefix, messages and the expected Encrypt values.
const std::string kJavaAppid = "wxb11529c136998cb6";
const std::string kJavaPrefix = "aaaabbbbccccdddd";
const std::string kJavaReply = "我是中文abcd123";
const std::string kJavaEncrypted =
    "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
const std::string kJavaReply2 =
    "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName>"
    "<FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime>"
    "<MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-"
    "HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]>"
    "</Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
const std::string kJavaEncrypted2 =
    "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+"
    "XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcE"
    "cW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/"
    "fTIILHR8HLXa5nQvFb3tYPK"
    "AlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/"
    "77bZqJucQHQ04sq7KZI27Oc"
    "qpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/"
    "6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8ig"
    "HngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBr"
    "opU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

// Python/PHP sample (Sample.py): token, appid, timestamp, nonce, msg_signature and Encrypt.
const std::string kPyToken = "spamtest";
const std::string kPyAppid = "wx2c2769f8efd9abc2";
const std::string kPyTimestamp = "1409735669";
const std::string kPyNonce = "1320562132";
const std::string kPyMsgSignature = "5d197aaffba7e9b25a30732f161a50dee96bd5fa";
const std::string kPyEncrypted =
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGH"
    "QHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+"
    "h6tEDY"
    "sVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGp"
    "y0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1"
    "ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
const std::string kPyPlain =
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    "<CreateTime>1409735668</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[abcdteT]]></Content>\n"
    "<MsgId>6054768590064713728</MsgId>\n"
    "</xml>";

// The 32 key bytes of the sample EncodingAESKey, computed apart from MessageCipher.
std::string sampleKeyBytes() {
  std::string out(48, '\0');
  std::string text = kSampleKey + "=";
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n) - 1);
  return out;
}

// Raw AES-256-CBC (IV = key's first 16 bytes, no padding) of a hand-made plaintext, base64'd:
// how a test builds ciphertexts that MessageCipher would never produce.
std::string rawEncrypt(const std::string& plain) {
  std::string key = sampleKeyBytes();
  auto* k = reinterpret_cast<const unsigned char*>(key.data());
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, k, k);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  std::string out(plain.size() + 32, '\0');
  int n = 0, tail = 0;
  EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                    reinterpret_cast<const unsigned char*>(plain.data()),
                    static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(n + tail));
  std::string b64((out.size() + 2) / 3 * 4 + 1, '\0');
  int m = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(out.data()),
                          static_cast<int>(out.size()));
  b64.resize(static_cast<std::size_t>(m));
  return b64;
}

// 16 random bytes + big-endian length + message + appid, then `padding` appended as is.
std::string framed(const std::string& message, const std::string& appid, uint32_t length) {
  std::string out = "0123456789abcdef";
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((length >> shift) & 0xFF);
  return out + message + appid;
}

std::string pkcs7(std::string plain) {
  std::size_t pad = 32 - plain.size() % 32;
  return plain.append(pad, static_cast<char>(pad));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_cipher)

BOOST_AUTO_TEST_CASE(the_java_sample_vectors_encrypt_byte_for_byte) {
  MessageCipher cipher(kSampleKey, "", kJavaAppid);
  BOOST_TEST(cipher.encrypt(kJavaReply, kJavaPrefix) == kJavaEncrypted);
  BOOST_TEST(cipher.encrypt(kJavaReply2, kJavaPrefix) == kJavaEncrypted2);
}

BOOST_AUTO_TEST_CASE(the_java_sample_vectors_decrypt_to_their_messages) {
  MessageCipher cipher(kSampleKey, "", kJavaAppid);
  auto first = cipher.decrypt(kJavaEncrypted);
  auto second = cipher.decrypt(kJavaEncrypted2);
  BOOST_REQUIRE(first.has_value());
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(first->message == kJavaReply);
  BOOST_TEST(second->message == kJavaReply2);
  BOOST_TEST(!first->previousKey);
}

BOOST_AUTO_TEST_CASE(the_python_sample_push_has_the_published_msg_signature) {
  BOOST_TEST(sortedSha1Hex({kPyToken, kPyTimestamp, kPyNonce, kPyEncrypted}) == kPyMsgSignature);
  // The plain signature of the same request (token, timestamp, nonce), computed with Python's
  // hashlib as an independent oracle.
  BOOST_TEST(sortedSha1Hex({kPyToken, kPyTimestamp, kPyNonce}) ==
             "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a");
}

BOOST_AUTO_TEST_CASE(the_python_sample_push_decrypts_to_the_published_message) {
  MessageCipher cipher(kSampleKey, "", kPyAppid);
  auto plain = cipher.decrypt(kPyEncrypted);
  BOOST_REQUIRE(plain.has_value());
  BOOST_TEST(plain->message == kPyPlain);
}

BOOST_AUTO_TEST_CASE(the_sample_appids_are_checked_against_each_other) {
  MessageCipher javaCipher(kSampleKey, "", kJavaAppid);
  auto plain = javaCipher.decrypt(kPyEncrypted);
  BOOST_REQUIRE(!plain.has_value());
  BOOST_TEST(static_cast<int>(plain.error()) == static_cast<int>(DecryptFailure::WrongAppid));
}

BOOST_AUTO_TEST_CASE(messages_of_every_length_round_trip) {
  MessageCipher cipher(kSampleKey, "", "wxfakeoa");
  for (std::size_t size = 0; size <= 100; ++size) {
    std::string message(size, static_cast<char>('a' + size % 26));
    auto plain = cipher.decrypt(cipher.encrypt(message));
    BOOST_REQUIRE(plain.has_value());
    BOOST_TEST(plain->message == message);
  }
}

BOOST_AUTO_TEST_CASE(each_encryption_draws_a_fresh_random_prefix) {
  MessageCipher cipher(kSampleKey, "", "wxfakeoa");
  BOOST_TEST(cipher.encrypt("same") != cipher.encrypt("same"));
}

BOOST_AUTO_TEST_CASE(a_push_under_the_previous_key_opens_after_a_rollover) {
  MessageCipher before(kOtherKey, "", "wxfakeoa");
  MessageCipher after(kSampleKey, kOtherKey, "wxfakeoa");
  auto plain = after.decrypt(before.encrypt("<xml/>"));
  BOOST_REQUIRE(plain.has_value());
  BOOST_TEST(plain->message == "<xml/>");
  BOOST_TEST(plain->previousKey);
  auto current = after.decrypt(after.encrypt("<xml/>"));
  BOOST_REQUIRE(current.has_value());
  BOOST_TEST(!current->previousKey);
}

BOOST_AUTO_TEST_CASE(a_push_under_an_unknown_key_does_not_open) {
  MessageCipher stranger(kOtherKey, "", "wxfakeoa");
  MessageCipher ours(kSampleKey, "", "wxfakeoa");
  for (int i = 0; i < 20; ++i) {
    auto plain = ours.decrypt(stranger.encrypt("<xml><a>" + std::to_string(i) + "</a></xml>"));
    BOOST_REQUIRE(!plain.has_value());
    BOOST_TEST(static_cast<int>(plain.error()) == static_cast<int>(DecryptFailure::Undecryptable));
  }
}

BOOST_AUTO_TEST_CASE(the_wrong_appid_is_refused_with_either_key) {
  MessageCipher theirs(kOtherKey, "", "wxsomeoneelse");
  MessageCipher ours(kSampleKey, kOtherKey, "wxfakeoa");
  auto plain = ours.decrypt(theirs.encrypt("<xml/>"));
  BOOST_REQUIRE(!plain.has_value());
  BOOST_TEST(static_cast<int>(plain.error()) == static_cast<int>(DecryptFailure::WrongAppid));
  // An appid that merely starts like ours is not ours.
  MessageCipher prefixed(kSampleKey, "", "wxfakeoa2");
  BOOST_TEST(!ours.decrypt(prefixed.encrypt("<xml/>")).has_value());
}

BOOST_AUTO_TEST_CASE(malformed_base64_is_refused_as_not_base64) {
  MessageCipher cipher(kSampleKey, "", kJavaAppid);
  const std::string truncated = kJavaEncrypted.substr(0, kJavaEncrypted.size() - 3);
  const std::string badChar = "*" + kJavaEncrypted.substr(1);
  const std::string innerPad = kJavaEncrypted.substr(0, 8) + "=" + kJavaEncrypted.substr(9);
  const std::string spaced = kJavaEncrypted.substr(0, 8) + " " + kJavaEncrypted.substr(9);
  for (const std::string& text : {truncated, badChar, innerPad, spaced, std::string()}) {
    auto plain = cipher.decrypt(text);
    BOOST_REQUIRE(!plain.has_value());
    BOOST_TEST(static_cast<int>(plain.error()) == static_cast<int>(DecryptFailure::NotBase64));
  }
}

BOOST_AUTO_TEST_CASE(ciphertext_of_a_partial_block_is_refused) {
  MessageCipher cipher(kSampleKey, "", kJavaAppid);
  // 64 bytes minus 4 = 60 bytes: valid base64, not whole AES blocks.
  const std::string cut = kJavaEncrypted.substr(0, 80);
  auto plain = cipher.decrypt(cut);
  BOOST_REQUIRE(!plain.has_value());
  BOOST_TEST(static_cast<int>(plain.error()) == static_cast<int>(DecryptFailure::Undecryptable));
}

BOOST_AUTO_TEST_CASE(wrong_padding_is_refused) {
  MessageCipher cipher(kSampleKey, "", "wxfakeoa");
  std::string body = framed("<xml/>", "wxfakeoa", 6);                  // 16 + 4 + 6 + 8 = 34 bytes
  BOOST_REQUIRE(cipher.decrypt(rawEncrypt(pkcs7(body))).has_value());  // the control
  std::string zeroPad = body + std::string(30, '\0');
  std::string hugePad = body + std::string(30, static_cast<char>(33));
  std::string mixedPad = body + std::string(29, static_cast<char>(30)) + static_cast<char>(30);
  mixedPad[body.size()] = 29;  // one padding byte differs from the rest
  std::string sixteenPad = std::string(body.begin(), body.begin() + 32) +
                           std::string(16, static_cast<char>(16));  // cuts into the appid
  for (const std::string& plain : {zeroPad, hugePad, mixedPad}) {
    auto opened = cipher.decrypt(rawEncrypt(plain));
    BOOST_REQUIRE(!opened.has_value());
    BOOST_TEST(static_cast<int>(opened.error()) == static_cast<int>(DecryptFailure::Undecryptable));
  }
  BOOST_TEST(!cipher.decrypt(rawEncrypt(sixteenPad)).has_value());
}

// Sealed to 32, opened liberally (docs/callback.md "Safe-mode cryptography", usertest3 F12): a
// plaintext padded to a multiple of 16 only, or with a whole extra 32-byte block, is read.
BOOST_AUTO_TEST_CASE(any_pad_of_1_to_32_bytes_is_opened_not_only_a_multiple_of_32) {
  MessageCipher cipher(kSampleKey, "", "wxfakeoa");
  const std::string body = framed("<xml/>", "wxfakeoa", 6);  // 34 bytes
  for (std::size_t pad : {14u, 30u}) {                       // to 48 (16 x 3) and to 64 bytes
    auto opened = cipher.decrypt(rawEncrypt(body + std::string(pad, static_cast<char>(pad))));
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(opened->message == "<xml/>");
  }
  std::size_t over = 46;  // to 80 bytes: a pad over 32 is refused
  BOOST_TEST(!cipher.decrypt(rawEncrypt(body + std::string(over, static_cast<char>(over)))));
  auto sealed = cipher.decrypt(cipher.encrypt("<xml/>"));  // we seal to 32 and read it back
  BOOST_TEST((sealed && sealed->message == "<xml/>"));
}

BOOST_AUTO_TEST_CASE(a_length_beyond_the_plaintext_is_refused) {
  MessageCipher cipher(kSampleKey, "", "wxfakeoa");
  for (uint32_t length : {7u, 1000u, 0xFFFFFFFFu}) {
    auto opened = cipher.decrypt(rawEncrypt(pkcs7(framed("<xml/>", "", length))));
    BOOST_TEST(!opened.has_value());
  }
  auto tooShort = cipher.decrypt(rawEncrypt(pkcs7("0123456789abcdef")));  // no length at all
  BOOST_TEST(!tooShort.has_value());
}

BOOST_AUTO_TEST_CASE(encoding_aes_keys_are_43_base64_characters) {
  BOOST_TEST(MessageCipher::isEncodingAesKey(kSampleKey));
  BOOST_TEST(!MessageCipher::isEncodingAesKey(kSampleKey.substr(1)));
  BOOST_TEST(!MessageCipher::isEncodingAesKey(kSampleKey + "A"));
  BOOST_TEST(!MessageCipher::isEncodingAesKey("*" + kSampleKey.substr(1)));
  BOOST_TEST(!MessageCipher::isEncodingAesKey(""));
  BOOST_CHECK_THROW(MessageCipher("short", "", "wx1"), std::invalid_argument);
  BOOST_CHECK_THROW(MessageCipher(kSampleKey, "short", "wx1"), std::invalid_argument);
  BOOST_CHECK_THROW(MessageCipher(kSampleKey, "", ""), std::invalid_argument);
  BOOST_CHECK_THROW(MessageCipher(kSampleKey, "", "wx1").encrypt("m", "short"),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_bad_key_is_named_but_never_shown) {
  const std::string secretish = "abc-secret-key-material-that-is-not-base64";
  try {
    MessageCipher(secretish, "", "wx1");
    BOOST_FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& error) {
    BOOST_TEST(std::string(error.what()).find("aes_key") != std::string::npos);
    BOOST_TEST(std::string(error.what()).find("secret") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(signatures_sort_their_parts_and_compare_in_full) {
  BOOST_TEST(sortedSha1Hex({"b", "a", "c"}) == sortedSha1Hex({"c", "b", "a"}));
  BOOST_TEST(sortedSha1Hex({"abc"}) == "a9993e364706816aba3e25717850c26c9cd0d89d");  // FIPS 180
  BOOST_TEST(sha256Hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(constantTimeEquals("abc", "abc"));
  BOOST_TEST(!constantTimeEquals("abc", "abd"));
  BOOST_TEST(!constantTimeEquals("abc", "ab"));
  BOOST_TEST(constantTimeEquals("", ""));
}

BOOST_AUTO_TEST_SUITE_END()
