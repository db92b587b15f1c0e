// Seeded and random value helpers for the fake platform.
//
// The seeded helpers (`mix`, `writeSeededId`, `SeededDraws`) make the follower population and the
// fault draws reproducible for a given --seed. The random helpers (`randomString`, `randomBytes`)
// make secrets that must not be guessable: tokens, login codes, session keys, nonces.
// Thread-safety: everything here may be called from any thread; `SeededDraws` hands out its
// sequence through an atomic counter, the random helpers use a thread-local engine.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wxb::fake {

// The 64 characters openids, unionids and tokens are made of ([A-Za-z0-9_-]).
inline constexpr std::string_view kIdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// A well-spread 64-bit value determined only by its arguments (splitmix64 finaliser chain).
uint64_t mix(uint64_t seed, uint64_t a, uint64_t b = 0);

// Maps 64 random bits to a double in [0, 1).
double unitInterval(uint64_t bits);

// Writes `len` characters of kIdAlphabet determined by (seed, a, b) to `out`.
void writeSeededId(uint64_t seed, uint64_t a, uint64_t b, char* out, std::size_t len);

// `len` unpredictable characters of kIdAlphabet.
std::string randomString(std::size_t len);

// `n` unpredictable bytes.
std::string randomBytes(std::size_t n);

// `n` unpredictable decimal digits (the nonces of event pushes).
std::string randomDigits(std::size_t n);

// A reproducible sequence of draws in [0, 1): the k-th call returns the same value for the same
// seed, whichever thread makes it.
class SeededDraws {
 public:
  explicit SeededDraws(uint64_t seed) : seed_(seed) {}
  double next() {
    return unitInterval(mix(seed_, counter_.fetch_add(1, std::memory_order_relaxed)));
  }

 private:
  const uint64_t seed_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace wxb::fake
