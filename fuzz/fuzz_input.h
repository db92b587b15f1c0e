// What every fuzz target shares: FuzzInput reads a fuzzer's byte string as the few choices a
// target makes (which route, which time zone) followed by the text under test, and
// FUZZ_CHECK states a property the code must keep for every input; a broken one aborts, which
// the fuzzer records as a finding and the corpus replay (replay_main.cpp) as a failed test.
// Each target defines LLVMFuzzerTestOneInput (the libFuzzer interface, which AFL++'s driver and
// replay_main.cpp both call). Single-threaded use per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                       \
  do {                                                                                    \
    if (!(condition)) {                                                                   \
      std::fprintf(stderr, "%s:%d: property broken: %s (%s)\n", __FILE__, __LINE__, what, \
                   #condition);                                                           \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

namespace wxb::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  // The next byte (0 once the input is used up).
  uint8_t byte() {
    if (rest_.empty()) return 0;
    auto b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  // The next byte as a choice among `count` options.
  size_t choice(size_t count) { return byte() % count; }
  // Text up to the next '\n' (consumed, not included), or the rest when there is none.
  std::string_view line() {
    size_t end = rest_.find('\n');
    std::string_view out = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    return out;
  }
  // Everything not read yet.
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

}  // namespace wxb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
