// The cryptography of event pushes: signatures and safe-mode (AES) message encryption, written
// from WECHAT.md's description and independent of the client's implementation.
//
// signature = lowercase hex SHA-1 of the sorted concatenation of its parts (token, timestamp,
// nonce, and Encrypt for msg_signature). Safe mode: AESKey = base64decode(EncodingAESKey + "="),
// AES-256-CBC with IV = the key's first 16 bytes, PKCS#7 padding to a multiple of 32 bytes,
// plaintext = 16 random bytes + 4-byte big-endian length + message + appid, then base64.
// Thread-safety: pure functions (OpenSSL contexts are created per call).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wxb::fake {

std::string base64Encode(const std::string& bytes);
// nullopt when `text` is not base64.
std::optional<std::string> base64Decode(const std::string& text);

std::string sortedSha1(std::vector<std::string> parts);

// The 32-byte AES key of a 43-character EncodingAESKey, or nullopt when it is not one.
std::optional<std::string> aesKeyOf(const std::string& encodingAesKey);

// The base64 Encrypt value carrying `message` for `appid`.
std::string encryptMessage(const std::string& message, const std::string& aesKey,
                           const std::string& appid);

struct DecryptedMessage {
  std::string message;
  std::string appid;
};
// Reverses encryptMessage(); nullopt when `encrypted` does not decrypt with `aesKey`.
std::optional<DecryptedMessage> decryptMessage(const std::string& encrypted,
                                               const std::string& aesKey);

}  // namespace wxb::fake
