// Digests for the event push (WECHAT.md "Event push"): the platform's signature (lowercase hex
// SHA-1 of the lexicographically sorted concatenation of its parts), a constant-time comparison
// for it, and SHA-256 for keys derived from push content. OpenSSL does the hashing.
// Callers: CallbackEnvelope (signatures) and pushDedupKey. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wxb {

// Lowercase hex SHA-1 of the parts sorted bytewise and concatenated with no separator: the
// callback `signature` (token, timestamp, nonce) and `msg_signature` (plus Encrypt).
std::string sortedSha1Hex(std::vector<std::string_view> parts);

// Lowercase hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

// True when both strings are equal, in time that depends only on their lengths (the length of
// a signature is public: 40 hex digits).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace wxb
