// ApiKeys: the bearer keys that may call /v1, kept only as SHA-256 hex digests
// (http.api_keys_sha256), so the config file never holds a usable key. check() hashes the
// presented key and compares it with every digest in constant time (no early exit on the first
// differing byte, no early exit on the first match). Immutable; thread-safe.
#pragma once

#include <expected>
#include <string>
#include <vector>

namespace wxb {

class ApiKeys {
 public:
  // A comma- or space-separated list of 64-hex-digit SHA-256 digests (either case). An error
  // names the bad entry by position, never by value.
  static std::expected<ApiKeys, std::string> parse(const std::string& list);

  // The value of an Authorization header: "Bearer KEY". False for any other form.
  bool checkAuthorization(const std::string& header) const;
  bool check(const std::string& key) const;
  size_t size() const { return digests_.size(); }

  // Lowercase hex SHA-256 of `key`: what an operator puts in http.api_keys_sha256.
  static std::string sha256Hex(const std::string& key);

 private:
  std::vector<std::string> digests_;  // 32 raw bytes each
};

}  // namespace wxb
