// Fuzz target: the safe-mode crypto of the callback (WECHAT.md "Event push", safe mode) -
// MessageCipher's AES decryption of any Encrypt value, its encrypt -> decrypt round trip, the
// msg_signature check of CallbackEnvelope::open with any msg_signature and Encrypt, and seal()
// -> open() of a reply. Input: a mode byte, then
//   0: the Encrypt value (any bytes) for MessageCipher::decrypt (current key, previous key);
//   1: the plaintext (the first 16 bytes also serve as the random prefix) for a round trip;
//   2: a msg_signature line, a flag byte (even: sign the Encrypt correctly), the Encrypt value,
//      posted in a safe-mode push with a valid signature;
//   3: a reply to seal and open again.
// Properties: decryption fails with a reason or yields a plaintext that opens again after
// re-encryption; a round trip gives the plaintext back, under the previous key too (flagged),
// never under another key, and a foreign appid is refused as such; open() refuses a wrong
// msg_signature as bad_signature (403) and otherwise agrees with MessageCipher::decrypt; what
// seal() makes, open() reads back.
#include <cctype>
#include <string>

#include "fuzz/fuzz_input.h"
#include "wechat/callback/callback_envelope.h"
#include "wechat/callback/digest.h"

namespace {

using wxb::CallbackRefusal;
using wxb::MessageCipher;

constexpr int64_t kNow = 1'700'000'000;
constexpr const char* kToken = "fuzztoken";
constexpr const char* kKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr const char* kOldKey = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlk0";
constexpr const char* kAppid = "wxfuzzoa0000000001";

const MessageCipher& cipher() {  // the current key and the previous one, as after a change
  static const MessageCipher rotated(kKey, kOldKey, kAppid);
  return rotated;
}

const wxb::CallbackEnvelope& envelope() {
  static const wxb::CallbackEnvelope safe(wxb::CallbackSettings{
      kToken, kKey, kOldKey, kAppid, wxb::CallbackEncryption::Safe, 300, 65536});
  return safe;
}

wxb::CallbackQuery signedQuery(const std::string& timestamp, const std::string& nonce) {
  wxb::CallbackQuery query;
  query.timestamp = timestamp;
  query.nonce = nonce;
  query.signature = wxb::sortedSha1Hex({kToken, timestamp, nonce});
  query.encryptType = "aes";
  return query;
}

std::string xmlEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

void decryptAnything(std::string_view encrypted) {
  auto opened = cipher().decrypt(encrypted);
  if (!opened) {
    FUZZ_CHECK(!wxb::decryptFailureText(opened.error(), "callback.").empty(), "a failure says why");
    return;
  }
  auto again = cipher().decrypt(cipher().encrypt(opened->message));
  FUZZ_CHECK(again && again->message == opened->message && !again->previousKey,
             "what opened once opens again after re-encryption");
}

void roundTrip(std::string_view plaintext) {
  std::string encrypted = plaintext.size() >= MessageCipher::kRandomPrefixBytes
                              ? cipher().encrypt(plaintext, plaintext.substr(0, 16))
                              : cipher().encrypt(plaintext);
  auto opened = cipher().decrypt(encrypted);
  FUZZ_CHECK(opened && opened->message == plaintext && !opened->previousKey, "a round trip");
  static const MessageCipher next(kOldKey, kKey, kAppid);  // kKey is now the previous key
  auto rolled = next.decrypt(encrypted);
  FUZZ_CHECK(rolled && rolled->message == plaintext && rolled->previousKey, "the previous key");
  static const MessageCipher other(kOldKey, "", kAppid);
  FUZZ_CHECK(!other.decrypt(encrypted), "another key never opens it");
  static const MessageCipher foreign(kKey, "", "wxsomeoneelse00001");
  auto refused = foreign.decrypt(encrypted);
  FUZZ_CHECK(!refused && refused.error() == wxb::DecryptFailure::WrongAppid, "a foreign appid");
}

// The Encrypt text as the envelope reads it from the body (expat's whitespace and line-end
// rules), or "" when the body does not parse.
std::string encryptAsRead(const std::string& body) {
  auto outer = wxb::parsePushDocument(body);
  if (!outer || !outer->child("Encrypt")) return "";
  return outer->child("Encrypt")->text;
}

// What the envelope accepts as msg_signature: 40 hex digits, in either case, equal to `expected`.
bool signatureMatches(const std::string& given, const std::string& expected) {
  if (given.size() != 40) return false;
  for (size_t i = 0; i < given.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(given[i])));
    if (c != expected[i]) return false;
  }
  return true;
}

void openPosted(wxb::fuzz::FuzzInput& in) {
  std::string msgSignature(in.line());
  bool signCorrectly = in.byte() % 2 == 0;
  std::string body = "<xml><Encrypt>" + xmlEscaped(in.rest()) + "</Encrypt></xml>";
  std::string encrypted = encryptAsRead(body);
  wxb::CallbackQuery query = signedQuery(std::to_string(kNow), "1320562132");
  std::string expected = wxb::sortedSha1Hex({kToken, query.timestamp, query.nonce, encrypted});
  query.msgSignature = signCorrectly ? expected : msgSignature;
  auto opened = envelope().open(query, body, kNow);
  if (body.size() > envelope().settings().maxBodyBytes || encrypted.empty()) {
    FUZZ_CHECK(!opened && opened.error().httpStatus() >= 400, "too large or no Encrypt: a 4xx");
    return;
  }
  if (!signatureMatches(query.msgSignature, expected)) {
    FUZZ_CHECK(!opened && opened.error().reason == CallbackRefusal::Reason::BadSignature &&
                   opened.error().field == "msg_signature" && opened.error().httpStatus() == 403,
               "a wrong msg_signature is a 403 bad_signature");
    return;
  }
  auto direct = cipher().decrypt(encrypted);
  FUZZ_CHECK(opened.has_value() == direct.has_value(), "open() agrees with decrypt()");
  if (opened) {
    FUZZ_CHECK(opened->encrypted && opened->document == direct->message, "the same plaintext");
    return;
  }
  FUZZ_CHECK(opened.error().field == "Encrypt" && !opened.error().message.empty(), "Encrypt");
  bool wrongAppid = direct.error() == wxb::DecryptFailure::WrongAppid;
  FUZZ_CHECK((opened.error().reason == CallbackRefusal::Reason::BadAppid) == wrongAppid,
             "a foreign appid is bad_appid, anything else unparseable");
}

void sealAndOpen(std::string_view reply) {
  std::string sealed = envelope().seal(reply, kNow);
  auto outer = wxb::parsePushDocument(sealed);
  FUZZ_CHECK(outer, "a sealed reply parses");
  auto text = [&](const char* name) {
    const wxb::PushNode* node = outer->child(name);
    FUZZ_CHECK(node != nullptr, "a sealed reply has Encrypt, MsgSignature, TimeStamp, Nonce");
    return node->text;
  };
  wxb::CallbackQuery query = signedQuery(text("TimeStamp"), text("Nonce"));
  query.msgSignature = text("MsgSignature");
  auto opened = envelope().open(query, sealed, kNow);
  FUZZ_CHECK(opened && opened->encrypted && opened->document == reply, "seal() -> open()");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wxb::fuzz::FuzzInput in(data, size);
  switch (in.choice(4)) {
    case 0:
      decryptAnything(in.rest());
      break;
    case 1:
      roundTrip(in.rest());
      break;
    case 2:
      openPosted(in);
      break;
    default:
      sealAndOpen(in.rest());
  }
  return 0;
}
