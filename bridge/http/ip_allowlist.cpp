#include "bridge/http/ip_allowlist.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

namespace wxb {

namespace {

constexpr int kV4Bits = 32;
constexpr int kV6Bits = 128;
// ::ffff:a.b.c.d carries an IPv4 address in its last 32 bits (RFC 4291 section 2.5.5.2).
constexpr int kMappedPrefixBits = 96;

struct Address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4
};

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool isMapped(const Address& address) {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return address.v6 && std::memcmp(address.bytes.data(), kMappedPrefix, 12) == 0;
}

Address unmapped(const Address& address) {
  Address v4;
  std::copy_n(address.bytes.begin() + 12, 4, v4.bytes.begin());
  return v4;
}

// The raw address, IPv4-mapped IPv6 kept as IPv6 (a list entry needs to know, for its prefix).
std::optional<Address> parseRaw(std::string_view text) {
  std::string terminated(text);  // inet_pton wants a C string
  Address address;
  if (inet_pton(AF_INET, terminated.c_str(), address.bytes.data()) == 1) return address;
  address.v6 = true;
  if (inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) == 1) return address;
  return std::nullopt;
}

// What contains() and clientAddress() match: mapped addresses as the IPv4 they carry.
std::optional<Address> parseAddress(std::string_view text) {
  auto address = parseRaw(text);
  if (address && isMapped(*address)) return unmapped(*address);
  return address;
}

void clearHostBits(std::array<uint8_t, 16>& bytes, int prefix) {
  for (int bit = prefix; bit < kV6Bits; ++bit) {
    bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
}

bool inNetwork(const std::array<uint8_t, 16>& network, int prefix, const Address& address) {
  int whole = prefix / 8;
  if (std::memcmp(network.data(), address.bytes.data(), whole) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff00u >> rest);
  return (address.bytes[whole] & mask) == network[whole];
}

std::optional<int> parsePrefix(std::string_view text, int max) {
  int prefix = -1;
  // Digits only: from_chars would take "-0".
  if (text.empty() || text.size() > 3 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), prefix);
  if (ec != std::errc() || end != text.data() + text.size() || prefix > max) return std::nullopt;
  return prefix;
}

// Splits on commas and whitespace, dropping empty pieces.
std::vector<std::string_view> splitList(std::string_view list) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t i = 0; i <= list.size(); ++i) {
    if (i == list.size() || list[i] == ',' || isSpace(list[i])) {
      if (i > start) pieces.push_back(list.substr(start, i - start));
      start = i + 1;
    }
  }
  return pieces;
}

}  // namespace

std::expected<CidrList, std::string> CidrList::parse(const std::string& list) {
  CidrList result;
  for (std::string_view entry : splitList(list)) {
    auto quoted = "'" + std::string(entry) + "': ";
    size_t slash = entry.find('/');
    auto address = parseRaw(entry.substr(0, slash));
    if (!address) return std::unexpected(quoted + "not an IPv4 or IPv6 address");
    int max = address->v6 ? kV6Bits : kV4Bits;
    int prefix = max;
    if (slash != std::string_view::npos) {
      auto parsed = parsePrefix(entry.substr(slash + 1), max);
      if (!parsed) return std::unexpected(quoted + "prefix must be 0-" + std::to_string(max));
      prefix = *parsed;
    }
    // A mapped network narrower than the mapped range is an IPv4 network; a wider one
    // (::ffff:0:0/80) spans more than IPv4 and stays IPv6.
    if (isMapped(*address) && prefix >= kMappedPrefixBits) {
      address = unmapped(*address);
      prefix -= kMappedPrefixBits;
    }
    clearHostBits(address->bytes, prefix);
    result.networks_.push_back(Network{address->v6, address->bytes, prefix});
  }
  return result;
}

bool CidrList::contains(const std::string& address) const {
  auto parsed = parseAddress(trim(address));
  if (!parsed) return false;
  return std::any_of(networks_.begin(), networks_.end(), [&](const Network& network) {
    return network.v6 == parsed->v6 && inNetwork(network.bytes, network.prefix, *parsed);
  });
}

bool isIpAddress(std::string_view text) { return parseRaw(text).has_value(); }

std::string clientAddress(const std::string& peer, const std::string& forwardedFor,
                          const CidrList& trustedProxies) {
  if (!trustedProxies.contains(peer)) return peer;
  std::vector<std::string_view> entries;
  std::string_view rest = forwardedFor;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view entry = trim(rest.substr(0, comma));
    // One bad entry means the header cannot be trusted to say which hop is which.
    if (!parseAddress(entry)) return peer;
    entries.push_back(entry);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // Right to left: each trusted proxy vouches for the hop before it; the first hop that is not a
  // trusted proxy is the client. If every hop is trusted, the left-most is as far as we can see.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (!trustedProxies.contains(std::string(*it))) return std::string(*it);
  }
  return std::string(entries.front());
}

}  // namespace wxb
