// CallbackEnvelope: what stands between the platform's HTTP request to our callback URL and the
// push inside it (WECHAT.md "Event push", "More about the event push"). It checks the URL
// verification (GET) and, for a push (POST), the body limit, the signature, the timestamp's
// skew from now, the encryption mode, and in compatible/safe mode the msg_signature, the
// AES decryption (current key, then the previous one) and the appid inside - and hands back the
// push document, parsed and decoded into a PushEvent by receive(). seal() encrypts and signs a
// reply to an encrypted push.
//
// The `signature` over (token, timestamp, nonce) is checked first in every mode, before any
// byte of the body is parsed; encrypted pushes must carry a matching msg_signature as well.
// Signatures are compared in constant time. Modes: `plain` accepts plaintext pushes only,
// `compatible` both plaintext and encrypted ones (for a move between modes in the console;
// an encrypted push is read from its Encrypt, never from the plaintext fields beside it),
// `safe` encrypted ones only.
//
// One envelope serves one endpoint (the OA's /wechat/callback, the MP's /wechat/callback/mp):
// each has its own token, keys and appid. Immutable after construction: thread-safe.
// Refusals name the field and the rule, never a secret or the expected signature.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechat/callback/message_cipher.h"
#include "wechat/callback/push_event.h"

namespace wxb {

enum class CallbackEncryption { Plain, Compatible, Safe };
// "plain" | "compatible" | "safe"; false for anything else.
bool parseCallbackEncryption(std::string_view text, CallbackEncryption& out);

// One endpoint's settings (callback.* for the OA).
struct CallbackSettings {
  std::string token;           // the console's Token: 3-32 characters of [A-Za-z0-9]
  std::string aesKey;          // the EncodingAESKey; required unless encryption is plain
  std::string aesKeyPrevious;  // the key before the last change in the console, or empty
  std::string appid;           // the appid that encrypted pushes must carry
  CallbackEncryption encryption = CallbackEncryption::Plain;
  int64_t maxSkewSeconds = 300;      // |now - timestamp| allowed
  std::size_t maxBodyBytes = 65536;  // body limit, bytes
  // Where these settings are configured ("callback." for the OA, "callback.mp." for the mini
  // program): refusal texts name the endpoint's own keys (callback.mp.token ...).
  std::string keyPrefix = "callback.";
};

// The query parameters the platform adds to the callback URL.
struct CallbackQuery {
  std::string signature;
  std::string timestamp;
  std::string nonce;
  std::string echostr;       // GET only
  std::string encryptType;   // "aes" for encrypted pushes; "" or "raw" for plaintext
  std::string msgSignature;  // encrypted pushes
};

struct CallbackRefusal {
  enum class Reason { BadSignature, BadAppid, Stale, Unparseable, TooLarge, ModeRefused };
  Reason reason = Reason::Unparseable;
  std::string field;    // "signature", "timestamp", "Encrypt", "FromUserName", "body" ...
  std::string message;  // the rule that failed, fit for a 4xx body and a log line

  // 403 for signature, appid, skew and mode; 413 for the body limit; 400 otherwise.
  int httpStatus() const;
};
// The outcome label for metrics: bad_signature, bad_appid, stale, unparseable, too_large,
// mode_refused.
const char* refusalName(CallbackRefusal::Reason reason);

template <typename T>
using CallbackResult = std::expected<T, CallbackRefusal>;

// The known parameters of a query string (Poco::URI::getQueryParameters() order and shape);
// others are ignored. A known parameter given twice is refused.
CallbackResult<CallbackQuery> readCallbackQuery(
    const std::vector<std::pair<std::string, std::string>>& parameters);

struct OpenedPush {
  std::string document;      // the push's XML or JSON text, decrypted when it came encrypted
  bool encrypted = false;    // the reply, if any, must be sealed
  bool previousKey = false;  // decrypted with aesKeyPrevious
};

struct ReceivedPush {
  PushEvent event;
  bool encrypted = false;
  bool previousKey = false;
};

class CallbackEnvelope {
 public:
  // Throws std::invalid_argument naming the setting (token, aes_key, aes_key_previous, appid,
  // max_skew_seconds, max_body_bytes) - never its value - when it is unusable.
  explicit CallbackEnvelope(CallbackSettings settings);

  // GET: the echostr to answer verbatim when the signature matches and the time is fresh.
  CallbackResult<std::string> verifyUrl(const CallbackQuery& query, int64_t nowSeconds) const;
  // POST: the push document, verified and decrypted.
  CallbackResult<OpenedPush> open(const CallbackQuery& query, std::string_view body,
                                  int64_t nowSeconds) const;
  // POST: open() and then parse and decode the document.
  CallbackResult<ReceivedPush> receive(const CallbackQuery& query, std::string_view body,
                                       int64_t nowSeconds) const;
  // The reply to an encrypted push: <xml> with Encrypt, MsgSignature, TimeStamp, Nonce.
  std::string seal(std::string_view reply, int64_t nowSeconds) const;

  const CallbackSettings& settings() const { return settings_; }

 private:
  CallbackResult<std::string> checkSignatureAndTime(const CallbackQuery& query,
                                                    int64_t nowSeconds) const;
  CallbackResult<OpenedPush> openEncrypted(const CallbackQuery& query, std::string_view body,
                                           const std::string& timestamp) const;

  CallbackSettings settings_;
  std::unique_ptr<MessageCipher> cipher_;  // null when encryption is plain and no key is set
};

}  // namespace wxb
