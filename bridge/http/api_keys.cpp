#include "bridge/http/api_keys.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cstdint>
#include <string_view>

namespace wxb {

namespace {

constexpr size_t kDigestBytes = 32;
constexpr std::string_view kScheme = "bearer";

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 64 hex digits to 32 raw bytes; empty when `hex` is not that.
std::string decodeDigest(std::string_view hex) {
  if (hex.size() != 2 * kDigestBytes) return {};
  std::string bytes(kDigestBytes, '\0');
  for (size_t i = 0; i < kDigestBytes; ++i) {
    int high = hexValue(hex[2 * i]);
    int low = hexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return {};
    bytes[i] = static_cast<char>(high * 16 + low);
  }
  return bytes;
}

std::string sha256(const std::string& key) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(key);
  const Poco::DigestEngine::Digest& digest = engine.digest();
  return std::string(digest.begin(), digest.end());
}

bool equalsIgnoringCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

std::expected<ApiKeys, std::string> ApiKeys::parse(const std::string& list) {
  ApiKeys keys;
  std::string_view rest = list;
  size_t position = 0;
  while (!rest.empty()) {
    size_t end = 0;
    while (end < rest.size() && rest[end] != ',' && !isSpace(rest[end])) ++end;
    if (end > 0) {
      ++position;
      std::string digest = decodeDigest(rest.substr(0, end));
      // Never echo the entry: an operator may have pasted the key itself instead of its digest.
      if (digest.empty()) {
        return std::unexpected("entry " + std::to_string(position) +
                               " is not a SHA-256 digest (64 hexadecimal digits)");
      }
      keys.digests_.push_back(std::move(digest));
    }
    rest.remove_prefix(end < rest.size() ? end + 1 : end);
  }
  return keys;
}

bool ApiKeys::checkAuthorization(const std::string& header) const {
  std::string_view text = trim(header);
  if (text.size() <= kScheme.size() || text[kScheme.size()] != ' ') return false;
  if (!equalsIgnoringCase(text.substr(0, kScheme.size()), kScheme)) return false;
  std::string_view key = text.substr(kScheme.size());
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  for (char c : key) {
    if (isSpace(c)) return false;
  }
  return !key.empty() && check(std::string(key));
}

bool ApiKeys::check(const std::string& key) const {
  if (key.empty()) return false;
  std::string presented = sha256(key);
  // Every byte of every digest is compared, so the time taken says nothing about which
  // digest matched or how far a near miss got.
  bool matched = false;
  for (const std::string& digest : digests_) {
    uint8_t difference = 0;
    for (size_t i = 0; i < kDigestBytes; ++i) {
      difference |= static_cast<uint8_t>(digest[i] ^ presented[i]);
    }
    matched |= (difference == 0);
  }
  return matched;
}

std::string ApiKeys::sha256Hex(const std::string& key) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(key);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace wxb
