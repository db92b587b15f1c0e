// HttpSettings: how `wxbridge serve` listens and whom it lets in, read from the http.* keys.
// A plain value type.
#pragma once

#include <string>

#include "bridge/http/api_keys.h"
#include "bridge/http/ip_allowlist.h"

namespace wxb {

struct HttpSettings {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 16;         // workers that run requests; no thread waits on a slow client
  int queue = 256;          // connections open beyond `threads` before new ones are refused
  CidrList allow;           // peers that may call /v1
  CidrList trustedProxies;  // peers whose X-Forwarded-For is believed
  ApiKeys apiKeys;          // SHA-256 digests of the bearer keys
  size_t maxBodyBytes = 1 << 20;
  int headerTimeoutMs = 2000;      // a request head must arrive within this of its first byte
  int requestTimeoutMs = 10000;    // the body must arrive, and the response be taken, within this
  int keepAliveTimeoutMs = 15000;  // an idle connection is closed after this
  int maxConnectionsPerIp = 128;   // per peer address; trusted proxies are not limited
  int drainSeconds = 20;           // graceful shutdown: wait this long for requests in flight
};

}  // namespace wxb
