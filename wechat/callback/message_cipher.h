// MessageCipher: the safe-mode encryption of event pushes and of our replies to them
// (WECHAT.md "Event push", safe mode; the platform's message-encryption document). The key is
// the 32 bytes of base64decode(EncodingAESKey + "="); AES-256-CBC with IV = the key's first 16
// bytes; the plaintext is 16 random bytes + a 4-byte big-endian length + the message + the
// appid, PKCS#7-padded to a multiple of 32 bytes (so we seal; we open any pad of 1-32 bytes
// with each pad byte checked, as the platform's samples do); the ciphertext travels as base64.
// OpenSSL does AES, base64 and the random bytes.
//
// Key rollover: a cipher holds the current EncodingAESKey and optionally the previous one;
// decrypt() tries the current key first and then the previous one, so pushes encrypted just
// before an operator changed the key in the console still open. encrypt() always uses the
// current key. The appid inside the plaintext must equal the configured appid.
//
// Used by CallbackEnvelope. Immutable after construction: safe to share between threads. Keys
// never appear in an exception text or a log line.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace wxb {

enum class DecryptFailure {
  NotBase64,      // Encrypt is not canonical base64 (bad character, truncated, bad padding '=')
  Undecryptable,  // no key yields a well-formed plaintext (block size, PKCS#7 padding, length)
  WrongAppid,     // a key yields a well-formed plaintext, but for another appid
};
// Why decryption failed, naming the keys under `keyPrefix` ("callback." or "callback.mp.").
std::string decryptFailureText(DecryptFailure failure, std::string_view keyPrefix);

struct DecryptedMessage {
  std::string message;       // the push document (XML or JSON text), as the platform sent it
  bool previousKey = false;  // opened with callback.aes_key_previous
};

class MessageCipher {
 public:
  static constexpr std::size_t kEncodingAesKeyChars = 43;
  static constexpr std::size_t kRandomPrefixBytes = 16;

  // True when `text` is an EncodingAESKey: 43 base64 characters that decode to 32 bytes.
  static bool isEncodingAesKey(std::string_view text);

  // Throws std::invalid_argument naming the parameter (never its value) when `current` or a
  // non-empty `previous` is not an EncodingAESKey, or when appid is empty.
  MessageCipher(std::string_view current, std::string_view previous, std::string appid);

  // The base64 Encrypt value of `message` (UTF-8 bytes, any length) under the current key,
  // with 16 fresh random bytes in front.
  std::string encrypt(std::string_view message) const;
  // The same with the given 16-byte prefix: deterministic, for the published test vectors.
  // Throws std::invalid_argument when prefix is not 16 bytes.
  std::string encrypt(std::string_view message, std::string_view prefix) const;

  // Opens a base64 Encrypt value: the current key first, then the previous one.
  std::expected<DecryptedMessage, DecryptFailure> decrypt(std::string_view encrypted) const;

 private:
  std::string current_;   // 32 key bytes
  std::string previous_;  // 32 key bytes, or empty
  std::string appid_;
};

}  // namespace wxb
