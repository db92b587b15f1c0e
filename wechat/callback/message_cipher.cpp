// Safe-mode message encryption over OpenSSL (EVP AES-256-CBC with padding off: the platform pads
// to 32-byte blocks, which OpenSSL's 16-byte PKCS#7 cannot produce; EVP base64; RAND_bytes).
#include "wechat/callback/message_cipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace wxb {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kPadBlock = 32;  // PKCS#7 to 32 bytes, not AES's 16
constexpr std::size_t kLengthBytes = 4;
constexpr std::size_t kMaxCipherInput = INT_MAX / 2;

bool isBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Canonical base64 only: a multiple of 4 characters, '=' only as the last one or two. Trailing
// bits of the last character are not checked: an EncodingAESKey's 43rd character carries two
// unused bits, often non-zero (the platform's own example key ends in 'G').
std::optional<std::string> decodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > kMaxCipherInput) return std::nullopt;
  std::size_t pad = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  for (std::size_t i = 0; i < text.size() - pad; ++i) {
    if (!isBase64Char(text[i])) return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < static_cast<int>(pad)) return std::nullopt;
  out.resize(static_cast<std::size_t>(written) - pad);  // EVP counts the padding as zero bytes
  return out;
}

std::string encodeBase64(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> keyBytes(std::string_view encodingAesKey) {
  if (encodingAesKey.size() != MessageCipher::kEncodingAesKeyChars) return std::nullopt;
  auto key = decodeBase64(std::string(encodingAesKey) + "=");
  if (!key || key->size() != kKeyBytes) return std::nullopt;
  return key;
}

// AES-256-CBC over whole blocks (padding off), IV = the key's first 16 bytes.
std::string aes256Cbc(const std::string& key, std::string_view input, bool encrypt) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  const auto* keyData = reinterpret_cast<const unsigned char*>(key.data());
  std::string out(input.size() + 32, '\0');
  auto* outData = reinterpret_cast<unsigned char*>(out.data());
  int written = 0;
  int tail = 0;
  bool ok = ctx && input.size() <= kMaxCipherInput &&
            EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, keyData, keyData,
                              encrypt ? 1 : 0) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
            EVP_CipherUpdate(ctx.get(), outData, &written,
                             reinterpret_cast<const unsigned char*>(input.data()),
                             static_cast<int>(input.size())) == 1 &&
            EVP_CipherFinal_ex(ctx.get(), outData + written, &tail) == 1;
  if (!ok) throw std::runtime_error("OpenSSL AES-256-CBC failed");
  out.resize(static_cast<std::size_t>(written + tail));
  return out;
}

std::string bigEndian32(uint32_t value) {
  std::string out(kLengthBytes, '\0');
  for (std::size_t i = 0; i < kLengthBytes; ++i) {
    out[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xFF);
  }
  return out;
}

uint32_t readBigEndian32(std::string_view bytes) {
  uint32_t value = 0;
  for (std::size_t i = 0; i < kLengthBytes; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

// Strips PKCS#7 padding of 1-32 bytes, every padding byte checked; false when malformed.
bool unpad(std::string& plain) {
  if (plain.empty()) return false;
  auto pad = static_cast<unsigned char>(plain.back());
  if (pad == 0 || pad > kPadBlock || pad > plain.size()) return false;
  for (std::size_t i = plain.size() - pad; i < plain.size(); ++i) {
    if (static_cast<unsigned char>(plain[i]) != pad) return false;
  }
  plain.resize(plain.size() - pad);
  return true;
}

struct Opened {
  std::string message;
  std::string appid;
};

// One key's attempt: nullopt when the plaintext is not well formed.
std::optional<Opened> openWith(const std::string& key, const std::string& cipherText) {
  std::string plain = aes256Cbc(key, cipherText, false);
  if (!unpad(plain)) return std::nullopt;
  constexpr std::size_t kHeader = MessageCipher::kRandomPrefixBytes + kLengthBytes;
  if (plain.size() < kHeader) return std::nullopt;
  std::size_t length =
      readBigEndian32(std::string_view(plain).substr(MessageCipher::kRandomPrefixBytes));
  if (length > plain.size() - kHeader) return std::nullopt;
  return Opened{plain.substr(kHeader, length), plain.substr(kHeader + length)};
}

}  // namespace

std::string decryptFailureText(DecryptFailure failure, std::string_view keyPrefix) {
  switch (failure) {
    case DecryptFailure::NotBase64:
      return "Encrypt is not base64";
    case DecryptFailure::Undecryptable:
      return "Encrypt does not decrypt with " + std::string(keyPrefix) + "aes_key or " +
             std::string(keyPrefix) + "aes_key_previous";
    case DecryptFailure::WrongAppid:
      return "the appid inside Encrypt is not this account's appid";
  }
  return "unknown decryption failure";
}

bool MessageCipher::isEncodingAesKey(std::string_view text) { return keyBytes(text).has_value(); }

MessageCipher::MessageCipher(std::string_view current, std::string_view previous, std::string appid)
    : appid_(std::move(appid)) {
  auto currentKey = keyBytes(current);
  if (!currentKey) throw std::invalid_argument("aes_key is not a 43-character EncodingAESKey");
  current_ = std::move(*currentKey);
  if (!previous.empty()) {
    auto previousKey = keyBytes(previous);
    if (!previousKey) {
      throw std::invalid_argument("aes_key_previous is not a 43-character EncodingAESKey");
    }
    previous_ = std::move(*previousKey);
  }
  if (appid_.empty()) throw std::invalid_argument("appid is empty");
}

std::string MessageCipher::encrypt(std::string_view message) const {
  std::string prefix(kRandomPrefixBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(prefix.data()),
                 static_cast<int>(prefix.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return encrypt(message, prefix);
}

std::string MessageCipher::encrypt(std::string_view message, std::string_view prefix) const {
  if (prefix.size() != kRandomPrefixBytes) {
    throw std::invalid_argument("the random prefix must be 16 bytes");
  }
  if (message.size() > kMaxCipherInput) throw std::invalid_argument("message too large");
  std::string plain = std::string(prefix) + bigEndian32(static_cast<uint32_t>(message.size())) +
                      std::string(message) + appid_;
  std::size_t pad = kPadBlock - plain.size() % kPadBlock;
  plain.append(pad, static_cast<char>(pad));
  return encodeBase64(aes256Cbc(current_, plain, true));
}

std::expected<DecryptedMessage, DecryptFailure> MessageCipher::decrypt(
    std::string_view encrypted) const {
  auto cipherText = decodeBase64(encrypted);
  if (!cipherText) return std::unexpected(DecryptFailure::NotBase64);
  if (cipherText->empty() || cipherText->size() % 16 != 0) {
    return std::unexpected(DecryptFailure::Undecryptable);
  }
  DecryptFailure failure = DecryptFailure::Undecryptable;
  for (const std::string* key : {&current_, &previous_}) {
    if (key->empty()) continue;
    auto opened = openWith(*key, *cipherText);
    if (!opened) continue;
    if (opened->appid == appid_) return DecryptedMessage{opened->message, key == &previous_};
    failure = DecryptFailure::WrongAppid;
  }
  return std::unexpected(failure);
}

}  // namespace wxb
