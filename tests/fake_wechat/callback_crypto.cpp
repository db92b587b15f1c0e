#include "fake_wechat/callback_crypto.h"

#include <Poco/Crypto/Cipher.h>
#include <Poco/Crypto/CipherFactory.h>
#include <Poco/Crypto/CipherKey.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <algorithm>
#include <cstdint>

#include "fake_wechat/rng.h"

namespace wxb::fake {
namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kPadBlock = 32;
constexpr std::size_t kRandomPrefix = 16;

std::string aesCbc(const std::string& key, const std::string& input, bool encrypt) {
  using Poco::Crypto::CipherKey;
  CipherKey::ByteVec keyBytes(key.begin(), key.end());
  CipherKey::ByteVec iv(key.begin(), key.begin() + 16);
  Poco::Crypto::Cipher::Ptr cipher = Poco::Crypto::CipherFactory::defaultFactory().createCipher(
      CipherKey("aes-256-cbc", keyBytes, iv));
  auto transform = encrypt ? cipher->createEncryptor() : cipher->createDecryptor();
  transform->setPadding(0);
  std::string out(input.size() + 64, '\0');
  auto* outBytes = reinterpret_cast<unsigned char*>(out.data());
  std::streamsize written =
      transform->transform(reinterpret_cast<const unsigned char*>(input.data()),
                           static_cast<std::streamsize>(input.size()), outBytes,
                           static_cast<std::streamsize>(out.size()));
  written +=
      transform->finalize(outBytes + written, static_cast<std::streamsize>(out.size()) - written);
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string bigEndian32(uint32_t value) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xFF);
  return out;
}

uint32_t readBigEndian32(const std::string& bytes, std::size_t at) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

std::string base64Encode(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[(chunk >> 18) & 63];
    out += kBase64[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64[chunk & 63] : '=';
  }
  return out;
}

std::optional<std::string> base64Decode(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  uint32_t chunk = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (i + 2 < text.size()) return std::nullopt;
      continue;
    }
    auto value = kBase64.find(text[i]);
    if (value == std::string_view::npos) return std::nullopt;
    chunk = (chunk << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((chunk >> bits) & 0xFF);
    }
  }
  return out;
}

std::string sortedSha1(std::vector<std::string> parts) {
  std::sort(parts.begin(), parts.end());
  Poco::SHA1Engine engine;
  for (const auto& part : parts) engine.update(part);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::optional<std::string> aesKeyOf(const std::string& encodingAesKey) {
  if (encodingAesKey.size() != 43) return std::nullopt;
  auto key = base64Decode(encodingAesKey + "=");
  if (!key || key->size() != 32) return std::nullopt;
  return key;
}

std::string encryptMessage(const std::string& message, const std::string& aesKey,
                           const std::string& appid) {
  std::string plain = randomBytes(kRandomPrefix) +
                      bigEndian32(static_cast<uint32_t>(message.size())) + message + appid;
  std::size_t pad = kPadBlock - plain.size() % kPadBlock;
  plain.append(pad, static_cast<char>(pad));
  return base64Encode(aesCbc(aesKey, plain, true));
}

std::optional<DecryptedMessage> decryptMessage(const std::string& encrypted,
                                               const std::string& aesKey) {
  auto cipherText = base64Decode(encrypted);
  if (!cipherText || cipherText->empty() || cipherText->size() % 16 != 0) return std::nullopt;
  std::string plain;
  try {
    plain = aesCbc(aesKey, *cipherText, false);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto pad = plain.empty() ? 0u : static_cast<unsigned char>(plain.back());
  if (pad == 0 || pad > kPadBlock || pad > plain.size()) return std::nullopt;
  plain.resize(plain.size() - pad);
  if (plain.size() < kRandomPrefix + 4) return std::nullopt;
  uint32_t length = readBigEndian32(plain, kRandomPrefix);
  std::size_t start = kRandomPrefix + 4;
  if (length > plain.size() - start) return std::nullopt;
  return DecryptedMessage{plain.substr(start, length), plain.substr(start + length)};
}

}  // namespace wxb::fake
