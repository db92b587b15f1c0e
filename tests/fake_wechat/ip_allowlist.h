// The account's IP whitelist: platform calls from an address outside it get errcode 40164.
//
// Built from --allow-ip CIDRs (IPv4 or IPv6; a bare address is a /32 or /128) and replaceable at
// run time through POST /__fake/config. An empty list allows every caller. IPv4 callers also
// match IPv4-mapped IPv6 ranges and vice versa. Thread-safety: all members are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace wxb::fake {

struct Cidr {
  std::array<uint8_t, 16> address{};  // IPv4 stored IPv4-mapped (::ffff:a.b.c.d)
  int prefixBits = 128;
};

// Parses "10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8". Returns nullopt when malformed.
std::optional<Cidr> parseCidr(std::string_view text);

// The errmsg of errcode 40164 for a caller `ip`.
std::string notInWhitelistMessage(const std::string& ip);

class IpAllowList {
 public:
  // `cidrs` must all be valid (parseCidr); invalid ones are ignored.
  explicit IpAllowList(const std::vector<std::string>& cidrs);

  // True when the list is empty or `ip` falls in one of its ranges; false for an unparsable ip.
  bool allows(const std::string& ip) const;

  // Replaces the list. Returns false (and changes nothing) if any CIDR is malformed.
  bool replace(const std::vector<std::string>& cidrs);

  std::vector<std::string> cidrs() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<Cidr> ranges_;
  std::vector<std::string> texts_;
};

}  // namespace wxb::fake
