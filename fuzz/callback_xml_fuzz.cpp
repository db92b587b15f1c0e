// Fuzz target: the callback push documents - the body the platform POSTs to /wechat/callback,
// XML or JSON - through CallbackEnvelope::receive (as the callback route calls it) with a
// valid signature, so every byte reaches parsePushDocument and decodePushEvent; then the same
// document sealed in safe mode (encrypted, msg_signature) must decode the same way. Input: the
// document. Properties: a refusal is a 400 (413 past the body limit; 403 `stale` for a
// CreateTime ahead of the clock) naming the field and the rule; a decoded push has valid ids
// (1-64 of [A-Za-z0-9_-], template ids 1-128), a positive CreateTime not ahead of the clock,
// an EventKey within its limit, lists within theirs, a 64-hex dedup key and a kind name; the
// plaintext and the encrypted push give the same verdict and the same dedup key.
#include <algorithm>
#include <cctype>
#include <string>
#include <variant>

#include "fuzz/fuzz_input.h"
#include "wechat/callback/callback_envelope.h"
#include "wechat/callback/digest.h"

namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr const char* kToken = "fuzztoken";
constexpr const char* kKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr const char* kAppid = "wxfuzzoa0000000001";
// Sealed, a document grows by a third and about 100 bytes: past this it would exceed the body
// limit encrypted but not in plaintext, so the two are compared only up to it.
constexpr size_t kMaxComparedBytes = 45'000;

const wxb::CallbackEnvelope& envelope() {
  static const wxb::CallbackEnvelope compatible(wxb::CallbackSettings{
      kToken, kKey, "", kAppid, wxb::CallbackEncryption::Compatible, 300, 65536});
  return compatible;
}

wxb::CallbackQuery signedQuery() {
  wxb::CallbackQuery query;
  query.timestamp = std::to_string(kNow);
  query.nonce = "1320562132";
  query.signature = wxb::sortedSha1Hex({kToken, query.timestamp, query.nonce});
  return query;
}

// What the platform sends in safe mode for `document`.
wxb::CallbackResult<wxb::ReceivedPush> receiveEncrypted(const std::string& document) {
  static const wxb::MessageCipher cipher(kKey, "", kAppid);
  std::string encrypted = cipher.encrypt(document);
  wxb::CallbackQuery query = signedQuery();
  query.encryptType = "aes";
  query.msgSignature = wxb::sortedSha1Hex({kToken, query.timestamp, query.nonce, encrypted});
  return envelope().receive(query, "<xml><Encrypt>" + encrypted + "</Encrypt></xml>", kNow);
}

// 1-maxChars of [A-Za-z0-9_-]: openids and the account's id take 64, template ids 128
// (wechat/callback/push_event.cpp).
bool isId(const std::string& text, size_t maxChars = 64) {
  return !text.empty() && text.size() <= maxChars &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

bool isHex64(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

template <typename Entries>
void checkList(const Entries& entries) {
  FUZZ_CHECK(entries.size() <= wxb::kMaxPushListEntries, "a list within its limit");
  for (const auto& entry : entries) {
    FUZZ_CHECK(isId(entry.templateId, 128), "template ids are 1-128 id characters");
  }
}

void checkPush(const wxb::PushEvent& push) {
  FUZZ_CHECK(isId(push.header.toUser) && isId(push.header.fromUser), "ToUserName, FromUserName");
  FUZZ_CHECK(push.header.createTime > 0, "CreateTime is positive");
  FUZZ_CHECK(push.header.createTime <= kNow + envelope().settings().maxSkewSeconds,
             "CreateTime at most maxSkewSeconds ahead of the clock");
  FUZZ_CHECK(!push.eventKey || push.eventKey->size() <= wxb::kMaxEventKeyBytes, "EventKey limit");
  FUZZ_CHECK(isHex64(wxb::pushDedupKey(push)), "the dedup key is 64 hex digits");
  FUZZ_CHECK(wxb::pushKindName(push) != nullptr, "every push has a kind name");
  if (auto* popup = std::get_if<wxb::SubscribePopupEvent>(&push.body)) checkList(popup->choices);
  if (auto* change = std::get_if<wxb::SubscribeChangeEvent>(&push.body)) checkList(change->changes);
  if (auto* sent = std::get_if<wxb::SubscribeSentEvent>(&push.body)) checkList(sent->results);
}

// A signed plaintext push is refused 400 (413 past the body limit), or 403 `stale` naming
// CreateTime when that is more than maxSkewSeconds ahead of the clock (docs/callback.md).
void checkRefusal(const wxb::CallbackRefusal& refusal, size_t bodySize) {
  FUZZ_CHECK(!refusal.field.empty() && !refusal.message.empty(), "a refusal names field and rule");
  if (refusal.reason == wxb::CallbackRefusal::Reason::Stale) {
    FUZZ_CHECK(refusal.field == "CreateTime" && refusal.httpStatus() == 403,
               "only a CreateTime ahead of the clock is refused as stale");
    return;
  }
  int expected = bodySize > envelope().settings().maxBodyBytes ? 413 : 400;
  FUZZ_CHECK(refusal.httpStatus() == expected, "a signed plaintext push is refused 400 or 413");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string document(reinterpret_cast<const char*>(data), size);
  auto plain = envelope().receive(signedQuery(), document, kNow);
  if (!plain) {
    checkRefusal(plain.error(), size);
  } else {
    FUZZ_CHECK(!plain->encrypted && !plain->previousKey, "a plaintext push is read as one");
    checkPush(plain->event);
  }
  if (size > kMaxComparedBytes) return 0;
  auto sealed = receiveEncrypted(document);
  FUZZ_CHECK(sealed.has_value() == plain.has_value(), "encrypted or not, the same verdict");
  if (plain) {
    FUZZ_CHECK(sealed->encrypted, "an encrypted push is read as one");
    FUZZ_CHECK(wxb::pushDedupKey(sealed->event) == wxb::pushDedupKey(plain->event),
               "encrypted or not, the same push");
  }
  return 0;
}
