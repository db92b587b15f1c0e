// CidrList: a list of IPv4 and IPv6 networks (e.g. "10.0.0.0/8, 192.168.1.7, ::1/128,
// fd00::/8") used for http.allow and http.trusted_proxies. An IPv4-mapped IPv6 address
// (::ffff:10.1.2.3) is matched as the IPv4 address it carries, so a dual-stack listener sees the
// same rules. clientAddress() applies X-Forwarded-For only when the peer is a trusted proxy.
// Immutable after parse; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace wxb {

class CidrList {
 public:
  // Parses a comma- or space-separated list; an entry without "/N" is a single host. An error
  // names the bad entry ("'10.0.0.0/33': prefix must be 0-32").
  static std::expected<CidrList, std::string> parse(const std::string& list);

  // True when `address` (textual IPv4 or IPv6) falls in any network; false for garbage.
  bool contains(const std::string& address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

// The client's address: the peer itself, unless the peer is in `trustedProxies`, in which case
// the right-most X-Forwarded-For entry that is not itself a trusted proxy (entries are trimmed;
// a malformed header leaves the peer).
std::string clientAddress(const std::string& peer, const std::string& forwardedFor,
                          const CidrList& trustedProxies);

// Whether `text` is an IPv4 or IPv6 address literal ("10.0.0.1", "::", "::ffff:10.0.0.1"),
// without a prefix or port.
bool isIpAddress(std::string_view text);

}  // namespace wxb
