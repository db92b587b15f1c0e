// CidrList and clientAddress: which peers may call /v1 and who the client is behind a proxy.
// Boundaries are tested on both sides of each network edge, so an off-by-one prefix mask fails.
#include "bridge/http/ip_allowlist.h"

#include <boost/test/unit_test.hpp>
#include <string>

using wxb::CidrList;
using wxb::clientAddress;

namespace {

CidrList parsed(const std::string& list) {
  auto result = CidrList::parse(list);
  BOOST_REQUIRE_MESSAGE(result,
                        "parse of '" << list << "' failed: " << (result ? "" : result.error()));
  return *result;
}

std::string parseError(const std::string& list) {
  auto result = CidrList::parse(list);
  BOOST_REQUIRE_MESSAGE(!result, "parse of '" << list << "' should have failed");
  return result.error();
}

// The proxies of the clientAddress() cases.
const CidrList& proxies() {
  static const CidrList list = parsed("10.0.0.0/8, ::1");
  return list;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cidr)

BOOST_AUTO_TEST_CASE(empty_list_contains_nothing) {
  for (const char* list : {"", "   ", " , ,\t"}) {
    CidrList cidrs = parsed(list);
    BOOST_TEST(cidrs.empty());
    BOOST_TEST(!cidrs.contains("127.0.0.1"));
    BOOST_TEST(!cidrs.contains("::1"));
  }
}

BOOST_AUTO_TEST_CASE(ipv4_prefix_covers_exactly_its_range) {
  CidrList cidrs = parsed("10.0.0.0/8");
  BOOST_TEST(!cidrs.empty());
  BOOST_TEST(cidrs.contains("10.0.0.0"));
  BOOST_TEST(cidrs.contains("10.255.255.255"));
  BOOST_TEST(!cidrs.contains("9.255.255.255"));
  BOOST_TEST(!cidrs.contains("11.0.0.0"));
}

BOOST_AUTO_TEST_CASE(ipv4_odd_prefix_splits_inside_a_byte) {
  CidrList cidrs = parsed("192.168.2.0/23");
  BOOST_TEST(cidrs.contains("192.168.2.0"));
  BOOST_TEST(cidrs.contains("192.168.3.255"));
  BOOST_TEST(!cidrs.contains("192.168.1.255"));
  BOOST_TEST(!cidrs.contains("192.168.4.0"));
}

BOOST_AUTO_TEST_CASE(ipv4_host_and_slash_32_match_one_address) {
  for (const char* list : {"192.0.2.7", "192.0.2.7/32"}) {
    CidrList cidrs = parsed(list);
    BOOST_TEST(cidrs.contains("192.0.2.7"));
    BOOST_TEST(!cidrs.contains("192.0.2.6"));
    BOOST_TEST(!cidrs.contains("192.0.2.8"));
  }
}

BOOST_AUTO_TEST_CASE(ipv4_slash_0_matches_every_ipv4_address_and_no_ipv6) {
  CidrList cidrs = parsed("0.0.0.0/0");
  BOOST_TEST(cidrs.contains("0.0.0.0"));
  BOOST_TEST(cidrs.contains("203.0.113.9"));
  BOOST_TEST(cidrs.contains("255.255.255.255"));
  BOOST_TEST(!cidrs.contains("::1"));
  BOOST_TEST(!cidrs.contains("2001:db8::1"));
}

BOOST_AUTO_TEST_CASE(ipv6_host_and_slash_128_match_one_address) {
  for (const char* list : {"::1", "::1/128", "2001:db8::5/128"}) {
    CidrList cidrs = parsed(list);
    std::string host = std::string(list).substr(0, std::string(list).find('/'));
    BOOST_TEST(cidrs.contains(host));
    BOOST_TEST(!cidrs.contains(host == "::1" ? "::2" : "2001:db8::4"));
    BOOST_TEST(!cidrs.contains(host == "::1" ? "::" : "2001:db8::6"));
  }
}

BOOST_AUTO_TEST_CASE(ipv6_odd_prefix_splits_inside_a_byte) {
  CidrList cidrs = parsed("2001:db8::/65");
  BOOST_TEST(cidrs.contains("2001:db8::"));
  BOOST_TEST(cidrs.contains("2001:db8::7fff:ffff:ffff:ffff"));
  BOOST_TEST(!cidrs.contains("2001:db8::8000:0:0:0"));
  BOOST_TEST(!cidrs.contains("2001:db8:0:1::"));
  BOOST_TEST(!cidrs.contains("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));
}

BOOST_AUTO_TEST_CASE(ipv6_slash_8_and_slash_0) {
  CidrList ula = parsed("fd00::/8");
  BOOST_TEST(ula.contains("fd12:3456::1"));
  BOOST_TEST(ula.contains("FDFF:FFFF::"));
  BOOST_TEST(!ula.contains("fc00::1"));
  BOOST_TEST(!ula.contains("fe80::1"));
  CidrList all = parsed("::/0");
  BOOST_TEST(all.contains("::"));
  BOOST_TEST(all.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  BOOST_TEST(!all.contains("1.2.3.4"));
}

BOOST_AUTO_TEST_CASE(host_bits_in_an_entry_are_ignored) {
  CidrList v4 = parsed("10.1.2.3/8");
  BOOST_TEST(v4.contains("10.200.0.1"));
  BOOST_TEST(!v4.contains("11.1.2.3"));
  CidrList v6 = parsed("2001:db8:1234::1/32");
  BOOST_TEST(v6.contains("2001:db8:ffff::9"));
  BOOST_TEST(!v6.contains("2001:db9::1"));
}

BOOST_AUTO_TEST_CASE(mapped_addresses_are_checked_as_ipv4) {
  CidrList cidrs = parsed("10.0.0.0/8");
  BOOST_TEST(cidrs.contains("::ffff:10.1.2.3"));
  BOOST_TEST(cidrs.contains("::FFFF:10.1.2.3"));
  BOOST_TEST(cidrs.contains("::ffff:a01:203"));  // the same address in hex groups
  BOOST_TEST(!cidrs.contains("::ffff:11.0.0.1"));
  // A mapped address is IPv4, so an IPv6-only rule does not cover it.
  BOOST_TEST(!parsed("::/0").contains("::ffff:10.1.2.3"));
}

BOOST_AUTO_TEST_CASE(mapped_entries_are_ipv4_networks) {
  CidrList net = parsed("::ffff:192.168.0.0/120");  // = 192.168.0.0/24
  BOOST_TEST(net.contains("192.168.0.99"));
  BOOST_TEST(net.contains("::ffff:192.168.0.5"));
  BOOST_TEST(!net.contains("192.168.1.1"));
  CidrList host = parsed("::ffff:127.0.0.1");
  BOOST_TEST(host.contains("127.0.0.1"));
  BOOST_TEST(!host.contains("127.0.0.2"));
  BOOST_TEST(!host.contains("::1"));
}

BOOST_AUTO_TEST_CASE(entries_are_separated_by_commas_and_any_whitespace) {
  CidrList cidrs = parsed(" 10.0.0.0/8,192.168.1.7  ::1\tfd00::/8 ,\n172.16.0.0/12 ");
  BOOST_TEST(cidrs.contains("10.9.9.9"));
  BOOST_TEST(cidrs.contains("192.168.1.7"));
  BOOST_TEST(cidrs.contains("::1"));
  BOOST_TEST(cidrs.contains("fd00::abcd"));
  BOOST_TEST(cidrs.contains("172.31.255.255"));
  BOOST_TEST(!cidrs.contains("172.32.0.0"));
  BOOST_TEST(!cidrs.contains("192.168.1.8"));
}

BOOST_AUTO_TEST_CASE(bad_entries_fail_the_whole_list_naming_the_entry) {
  BOOST_TEST(parseError("10.0.0.0/8, 10.0.0.0/33") == "'10.0.0.0/33': prefix must be 0-32");
  BOOST_TEST(parseError("::/129") == "'::/129': prefix must be 0-128");
  BOOST_TEST(parseError("example.com") == "'example.com': not an IPv4 or IPv6 address");
  for (const char* bad :
       {"10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0.0/x", "10.0.0.0/0008",
        "300.1.1.1", "10.0.0", "/8", "fe80::1%eth0", "2001:db8:::1", "1.2.3.4:80", "[::1]"}) {
    std::string error = parseError(bad);
    BOOST_TEST(error.find(std::string("'") + bad + "'") == 0u, bad << " -> " << error);
  }
}

BOOST_AUTO_TEST_CASE(garbage_addresses_are_not_contained) {
  CidrList cidrs = parsed("0.0.0.0/0, ::/0");
  for (const char* bad :
       {"", "localhost", "10.0.0.1/8", "10.0.0.256", "1.2.3", "::g", "[::1]", "1.2.3.4:80"}) {
    BOOST_TEST(!cidrs.contains(bad), bad);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cidr_client_address)

BOOST_AUTO_TEST_CASE(untrusted_peer_is_the_client_whatever_the_header_says) {
  BOOST_TEST(clientAddress("203.0.113.9", "198.51.100.1", proxies()) == "203.0.113.9");
  BOOST_TEST(clientAddress("203.0.113.9", "", proxies()) == "203.0.113.9");
  BOOST_TEST(clientAddress("10.0.0.2", "198.51.100.1", CidrList()) == "10.0.0.2");
}

BOOST_AUTO_TEST_CASE(trusted_peer_without_header_is_the_client) {
  BOOST_TEST(clientAddress("10.0.0.2", "", proxies()) == "10.0.0.2");
}

BOOST_AUTO_TEST_CASE(trusted_peer_yields_the_right_most_untrusted_entry) {
  // The left-most entry was written by the client and may be forged; 203.0.113.5 is the hop
  // that reached our first trusted proxy.
  BOOST_TEST(clientAddress("10.0.0.2", "198.51.100.1, 203.0.113.5, 10.0.0.3", proxies()) ==
             "203.0.113.5");
  BOOST_TEST(clientAddress("10.0.0.2", "203.0.113.5", proxies()) == "203.0.113.5");
  BOOST_TEST(clientAddress("::1", "2001:db8::5,::1", proxies()) == "2001:db8::5");
  BOOST_TEST(clientAddress("::ffff:10.0.0.2", "203.0.113.5", proxies()) == "203.0.113.5");
}

BOOST_AUTO_TEST_CASE(all_trusted_chain_yields_the_left_most_entry) {
  BOOST_TEST(clientAddress("10.0.0.2", "10.1.1.1, 10.2.2.2", proxies()) == "10.1.1.1");
}

BOOST_AUTO_TEST_CASE(entries_are_trimmed) {
  BOOST_TEST(clientAddress("10.0.0.2", "  203.0.113.5\t", proxies()) == "203.0.113.5");
  BOOST_TEST(clientAddress("10.0.0.2", "198.51.100.1 ,203.0.113.5 , 10.0.0.3", proxies()) ==
             "203.0.113.5");
}

BOOST_AUTO_TEST_CASE(malformed_header_leaves_the_peer) {
  for (const char* header :
       {"unknown", "unknown, 203.0.113.5", "203.0.113.5,", "203.0.113.5,,10.0.0.3", " , ",
        "203.0.113.5:4711", "203.0.113.5 198.51.100.1"}) {
    BOOST_TEST(clientAddress("10.0.0.2", header, proxies()) == "10.0.0.2", header);
  }
}

BOOST_AUTO_TEST_SUITE_END()
