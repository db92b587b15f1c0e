// Fuzz target: the CIDR lists of http.allow / http.trusted_proxies (CidrList::parse), address
// matching (contains) and the client address behind trusted proxies (clientAddress). Input:
// the list on the first line, a peer address on the second, an X-Forwarded-For value after.
// Properties: a rejected list says why; the client address is the peer or one of the
// X-Forwarded-For entries, never invented; a list of one plain address contains it.
#include <string>

#include "bridge/http/ip_allowlist.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wxb::fuzz::FuzzInput in(data, size);
  std::string list(in.line());
  std::string peer(in.line());
  std::string forwarded(in.rest());
  auto cidrs = wxb::CidrList::parse(list);
  if (!cidrs) {
    FUZZ_CHECK(!cidrs.error().empty(), "a rejected list says why");
    return 0;
  }
  cidrs->contains(peer);
  std::string client = wxb::clientAddress(peer, forwarded, *cidrs);
  FUZZ_CHECK(client == peer || (!client.empty() && forwarded.find(client) != std::string::npos),
             "the client is the peer or an X-Forwarded-For entry");
  auto single = wxb::CidrList::parse(peer);
  bool plainAddress =
      !peer.empty() && peer.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
  if (single && plainAddress) {
    FUZZ_CHECK(single->contains(peer), "a host's own list contains it");
  }
  return 0;
}
