#include "fake_wechat/ip_allowlist.h"

#include <Poco/Net/IPAddress.h>

#include <charconv>
#include <cstring>
#include <mutex>

namespace wxb::fake {
namespace {

std::optional<std::array<uint8_t, 16>> parseAddress(std::string_view text, int* familyBits) {
  Poco::Net::IPAddress parsed;
  if (!Poco::Net::IPAddress::tryParse(std::string(text), parsed)) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  if (parsed.family() == Poco::Net::IPAddress::IPv4) {
    bytes[10] = 0xFF;
    bytes[11] = 0xFF;
    std::memcpy(bytes.data() + 12, parsed.addr(), 4);
    *familyBits = 32;
  } else {
    std::memcpy(bytes.data(), parsed.addr(), 16);
    *familyBits = 128;
  }
  return bytes;
}

bool contains(const Cidr& range, const std::array<uint8_t, 16>& address) {
  int bits = range.prefixBits;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xFF : static_cast<uint8_t>(0xFF << (8 - bits));
    if ((range.address[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

}  // namespace

std::optional<Cidr> parseCidr(std::string_view text) {
  auto slash = text.find('/');
  int familyBits = 0;
  auto address = parseAddress(text.substr(0, slash), &familyBits);
  if (!address) return std::nullopt;
  Cidr cidr{*address, 128};
  if (slash == std::string_view::npos) return cidr;
  std::string_view prefixText = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] =
      std::from_chars(prefixText.data(), prefixText.data() + prefixText.size(), prefix);
  if (ec != std::errc() || end != prefixText.data() + prefixText.size() || prefix < 0 ||
      prefix > familyBits) {
    return std::nullopt;
  }
  cidr.prefixBits = prefix + (128 - familyBits);
  return cidr;
}

std::string notInWhitelistMessage(const std::string& ip) {
  bool v4 = ip.find(':') == std::string::npos;
  return "invalid ip " + ip + " ipv6 " + (v4 ? "::ffff:" + ip : ip) + ", not in whitelist";
}

IpAllowList::IpAllowList(const std::vector<std::string>& cidrs) {
  for (const auto& text : cidrs) {
    if (auto cidr = parseCidr(text)) {
      ranges_.push_back(*cidr);
      texts_.push_back(text);
    }
  }
}

bool IpAllowList::allows(const std::string& ip) const {
  std::shared_lock lock(mutex_);
  if (ranges_.empty()) return true;
  int familyBits = 0;
  auto address = parseAddress(ip, &familyBits);
  if (!address) return false;
  for (const auto& range : ranges_) {
    if (contains(range, *address)) return true;
  }
  return false;
}

bool IpAllowList::replace(const std::vector<std::string>& cidrs) {
  std::vector<Cidr> ranges;
  for (const auto& text : cidrs) {
    auto cidr = parseCidr(text);
    if (!cidr) return false;
    ranges.push_back(*cidr);
  }
  std::unique_lock lock(mutex_);
  ranges_ = std::move(ranges);
  texts_ = cidrs;
  return true;
}

std::vector<std::string> IpAllowList::cidrs() const {
  std::shared_lock lock(mutex_);
  return texts_;
}

}  // namespace wxb::fake
