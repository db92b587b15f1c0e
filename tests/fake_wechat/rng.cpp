#include "fake_wechat/rng.h"

#include <random>

namespace wxb::fake {
namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::mt19937_64& threadEngine() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seq{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seq);
  }();
  return engine;
}

}  // namespace

uint64_t mix(uint64_t seed, uint64_t a, uint64_t b) {
  return splitmix(splitmix(splitmix(seed) ^ a) ^ (b * 0xD6E8FEB86659FD93ULL));
}

double unitInterval(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

void writeSeededId(uint64_t seed, uint64_t a, uint64_t b, char* out, std::size_t len) {
  uint64_t bits = 0;
  for (std::size_t i = 0; i < len; ++i) {
    if (i % 10 == 0) bits = mix(seed, a, b * 1000 + i / 10);
    out[i] = kIdAlphabet[bits & 63];
    bits >>= 6;
  }
}

std::string randomString(std::size_t len) {
  std::string out(len, '\0');
  auto& engine = threadEngine();
  for (char& c : out) c = kIdAlphabet[engine() & 63];
  return out;
}

std::string randomBytes(std::size_t n) {
  std::string out(n, '\0');
  auto& engine = threadEngine();
  for (char& c : out) c = static_cast<char>(engine() & 0xFF);
  return out;
}

std::string randomDigits(std::size_t n) {
  std::string out(n, '0');
  auto& engine = threadEngine();
  for (char& c : out) c = static_cast<char>('0' + engine() % 10);
  if (n > 0 && out[0] == '0') out[0] = '1';
  return out;
}

}  // namespace wxb::fake
