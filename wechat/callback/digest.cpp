// SHA-1 / SHA-256 through OpenSSL's EVP interface; CRYPTO_memcmp for the comparison.
#include "wechat/callback/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace wxb {
namespace {

std::string toHex(const unsigned char* bytes, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0x0F];
  }
  return hex;
}

std::string digestHex(const EVP_MD* md, const std::vector<std::string_view>& parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), out, &size) == 1;
  if (!ok) throw std::runtime_error("OpenSSL digest failed");
  return toHex(out, size);
}

}  // namespace

std::string sortedSha1Hex(std::vector<std::string_view> parts) {
  std::sort(parts.begin(), parts.end());
  return digestHex(EVP_sha1(), parts);
}

std::string sha256Hex(std::string_view bytes) { return digestHex(EVP_sha256(), {bytes}); }

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wxb
