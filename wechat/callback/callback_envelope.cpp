// CallbackEnvelope: query rules, signature and skew checks, mode rules, safe-mode open and seal.
#include "wechat/callback/callback_envelope.h"

#include <Poco/String.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "wechat/callback/digest.h"

namespace wxb {
namespace {

using Reason = CallbackRefusal::Reason;

std::unexpected<CallbackRefusal> refuse(Reason reason, std::string field, std::string message) {
  return std::unexpected(CallbackRefusal{reason, std::move(field), std::move(message)});
}

bool isAlnum(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isHex(unsigned char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// echostr is echoed into the response: only characters that cannot form markup.
bool isEchoChar(unsigned char c) {
  return isAlnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-' || c == '.';
}
bool isNonceChar(unsigned char c) { return c > 0x20 && c < 0x7F; }

template <typename Pred>
bool allOf(std::string_view text, std::size_t minSize, std::size_t maxSize, Pred pred) {
  return text.size() >= minSize && text.size() <= maxSize &&
         std::all_of(text.begin(), text.end(), [&](char c) { return pred(c); });
}

std::optional<int64_t> parseTimestamp(std::string_view text) {
  int64_t value = 0;
  if (!allOf(text, 1, 12, isDigit)) return std::nullopt;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// The signature parameter `field` ("signature", "msg_signature") checked against `expected`:
// nullopt when it is 40 hex digits equal (in constant time) to it; else the refusal, telling a
// parameter that is missing (a proxy that drops query parameters) from one that does not match
// the token `tokenKey` names. Neither message holds the token or the expected signature.
std::optional<CallbackRefusal> signatureRefusal(const char* field, const std::string& given,
                                                const std::string& expected,
                                                const std::string& tokenKey) {
  if (given.empty()) {
    return CallbackRefusal{Reason::BadSignature, field,
                           "is missing from the query (the platform always sends it: is a "
                           "proxy or rewrite rule dropping query parameters?)"};
  }
  if (allOf(given, 40, 40, isHex) && constantTimeEquals(Poco::toLower(given), expected)) {
    return std::nullopt;
  }
  return CallbackRefusal{Reason::BadSignature, field, "does not match " + tokenKey};
}

std::string randomDigits(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  for (char& c : bytes) c = static_cast<char>('0' + static_cast<unsigned char>(c) % 10);
  return bytes;
}

void validate(const CallbackSettings& settings) {
  if (!allOf(settings.token, 3, 32, isAlnum)) {
    throw std::invalid_argument("token must be 3-32 letters or digits");
  }
  if (settings.maxSkewSeconds <= 0) throw std::invalid_argument("max_skew_seconds must be > 0");
  if (settings.maxBodyBytes < 1024) {
    throw std::invalid_argument("max_body_bytes must be at least 1024");
  }
  if (settings.encryption != CallbackEncryption::Plain && settings.aesKey.empty()) {
    throw std::invalid_argument("aes_key is required unless encryption is plain");
  }
}

}  // namespace

bool parseCallbackEncryption(std::string_view text, CallbackEncryption& out) {
  if (text == "plain")
    out = CallbackEncryption::Plain;
  else if (text == "compatible")
    out = CallbackEncryption::Compatible;
  else if (text == "safe")
    out = CallbackEncryption::Safe;
  else
    return false;
  return true;
}

int CallbackRefusal::httpStatus() const {
  switch (reason) {
    case Reason::TooLarge:
      return 413;
    case Reason::Unparseable:
      return 400;
    default:
      return 403;
  }
}

const char* refusalName(Reason reason) {
  switch (reason) {
    case Reason::BadSignature:
      return "bad_signature";
    case Reason::BadAppid:
      return "bad_appid";
    case Reason::Stale:
      return "stale";
    case Reason::Unparseable:
      return "unparseable";
    case Reason::TooLarge:
      return "too_large";
    case Reason::ModeRefused:
      return "mode_refused";
  }
  return "unparseable";
}

CallbackResult<CallbackQuery> readCallbackQuery(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  CallbackQuery query;
  const std::pair<const char*, std::string*> known[] = {{"signature", &query.signature},
                                                        {"timestamp", &query.timestamp},
                                                        {"nonce", &query.nonce},
                                                        {"echostr", &query.echostr},
                                                        {"encrypt_type", &query.encryptType},
                                                        {"msg_signature", &query.msgSignature}};
  std::vector<bool> seen(std::size(known), false);
  for (const auto& [name, value] : parameters) {
    for (std::size_t i = 0; i < std::size(known); ++i) {
      if (name != known[i].first) continue;
      if (seen[i]) return refuse(Reason::Unparseable, name, "appears more than once");
      seen[i] = true;
      *known[i].second = value;
    }
  }
  return query;
}

CallbackEnvelope::CallbackEnvelope(CallbackSettings settings) : settings_(std::move(settings)) {
  validate(settings_);
  if (!settings_.aesKey.empty()) {
    cipher_ = std::make_unique<MessageCipher>(settings_.aesKey, settings_.aesKeyPrevious,
                                              settings_.appid);
  }
}

// The checks common to GET and POST; the timestamp text on success.
CallbackResult<std::string> CallbackEnvelope::checkSignatureAndTime(const CallbackQuery& query,
                                                                    int64_t nowSeconds) const {
  auto timestamp = parseTimestamp(query.timestamp);
  if (!timestamp) return refuse(Reason::Unparseable, "timestamp", "must be 1-12 digits");
  if (!allOf(query.nonce, 1, 64, isNonceChar)) {
    return refuse(Reason::Unparseable, "nonce", "must be 1-64 visible ASCII characters");
  }
  if (auto refused =
          signatureRefusal("signature", query.signature,
                           sortedSha1Hex({settings_.token, query.timestamp, query.nonce}),
                           settings_.keyPrefix + "token")) {
    return std::unexpected(std::move(*refused));
  }
  if (std::abs(nowSeconds - *timestamp) > settings_.maxSkewSeconds) {
    return refuse(
        Reason::Stale, "timestamp",
        "is more than " + std::to_string(settings_.maxSkewSeconds) + " s from this server's clock");
  }
  return query.timestamp;
}

CallbackResult<std::string> CallbackEnvelope::verifyUrl(const CallbackQuery& query,
                                                        int64_t nowSeconds) const {
  if (!allOf(query.echostr, 1, 256, isEchoChar)) {
    return refuse(Reason::Unparseable, "echostr", "must be 1-256 characters of [A-Za-z0-9+/=_.-]");
  }
  auto checked = checkSignatureAndTime(query, nowSeconds);
  if (!checked) return std::unexpected(checked.error());
  return query.echostr;
}

CallbackResult<OpenedPush> CallbackEnvelope::open(const CallbackQuery& query, std::string_view body,
                                                  int64_t nowSeconds) const {
  if (body.size() > settings_.maxBodyBytes) {
    return refuse(Reason::TooLarge, "body",
                  "is larger than " + std::to_string(settings_.maxBodyBytes) + " bytes");
  }
  auto timestamp = checkSignatureAndTime(query, nowSeconds);
  if (!timestamp) return std::unexpected(timestamp.error());
  if (query.encryptType == "aes") return openEncrypted(query, body, *timestamp);
  if (!query.encryptType.empty() && query.encryptType != "raw") {
    return refuse(Reason::Unparseable, "encrypt_type", "must be aes or raw");
  }
  if (settings_.encryption == CallbackEncryption::Safe) {
    return refuse(Reason::ModeRefused, "encrypt_type",
                  "plaintext push refused: " + settings_.keyPrefix + "encryption is safe");
  }
  return OpenedPush{std::string(body), false, false};
}

CallbackResult<OpenedPush> CallbackEnvelope::openEncrypted(const CallbackQuery& query,
                                                           std::string_view body,
                                                           const std::string& timestamp) const {
  if (settings_.encryption == CallbackEncryption::Plain || !cipher_) {
    return refuse(Reason::ModeRefused, "encrypt_type",
                  "encrypted push refused: " + settings_.keyPrefix + "encryption is plain");
  }
  auto outer = parsePushDocument(body);
  if (!outer) return refuse(Reason::Unparseable, "body", outer.error().message);
  if (outer->count("Encrypt") != 1 || outer->child("Encrypt")->text.empty()) {
    return refuse(Reason::Unparseable, "Encrypt", "must appear exactly once");
  }
  const std::string& encrypted = outer->child("Encrypt")->text;
  if (auto refused =
          signatureRefusal("msg_signature", query.msgSignature,
                           sortedSha1Hex({settings_.token, timestamp, query.nonce, encrypted}),
                           settings_.keyPrefix + "token")) {
    return std::unexpected(std::move(*refused));
  }
  auto plain = cipher_->decrypt(encrypted);
  if (!plain) {
    Reason reason =
        plain.error() == DecryptFailure::WrongAppid ? Reason::BadAppid : Reason::Unparseable;
    return refuse(reason, "Encrypt", decryptFailureText(plain.error(), settings_.keyPrefix));
  }
  return OpenedPush{std::move(plain->message), true, plain->previousKey};
}

CallbackResult<ReceivedPush> CallbackEnvelope::receive(const CallbackQuery& query,
                                                       std::string_view body,
                                                       int64_t nowSeconds) const {
  auto opened = open(query, body, nowSeconds);
  if (!opened) return std::unexpected(opened.error());
  auto document = parsePushDocument(opened->document);
  if (!document) return refuse(Reason::Unparseable, "body", document.error().message);
  auto event = decodePushEvent(*document);
  if (!event) return refuse(Reason::Unparseable, event.error().field, event.error().message);
  // A follow change wins by CreateTime against the sync and later pushes: one from the future
  // would pin the follower's state until then, whatever happens meanwhile.
  if (event->header.createTime > nowSeconds + settings_.maxSkewSeconds) {
    return refuse(Reason::Stale, "CreateTime",
                  "is more than " + std::to_string(settings_.maxSkewSeconds) +
                      " s ahead of this server's clock");
  }
  return ReceivedPush{std::move(*event), opened->encrypted, opened->previousKey};
}

std::string CallbackEnvelope::seal(std::string_view reply, int64_t nowSeconds) const {
  if (!cipher_) throw std::logic_error("seal() needs " + settings_.keyPrefix + "aes_key");
  std::string encrypted = cipher_->encrypt(reply);
  std::string timestamp = std::to_string(nowSeconds);
  std::string nonce = randomDigits(10);
  std::string signature = sortedSha1Hex({settings_.token, timestamp, nonce, encrypted});
  return "<xml><Encrypt><![CDATA[" + encrypted + "]]></Encrypt><MsgSignature><![CDATA[" +
         signature + "]]></MsgSignature><TimeStamp>" + timestamp + "</TimeStamp><Nonce><![CDATA[" +
         nonce + "]]></Nonce></xml>";
}

}  // namespace wxb
