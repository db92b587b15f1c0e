// Coverage for AFL++ from GCC's own instrumentation. Debian 12's AFL++ 4.04c GCC plugin refuses
// Debian 12's current g++ (built for 12.2.0-14, the compiler is 12.2.0-14+deb12u1: "GCC and
// plugin have incompatible versions"), and its clang 14 cannot compile libstdc++ 12's
// std::expected, which the code uses throughout. So the code under test is compiled by g++ with
// -fsanitize-coverage=trace-pc,trace-cmp: GCC calls __sanitizer_cov_trace_pc at the start of
// every basic block, and this function hands the block, identified by a hash of its address,
// to AFL++'s runtime (__afl_trace: the classic AFL edge count, prev ^ cur). The compare hooks
// (__sanitizer_cov_trace_cmp*) are AFL++'s own. This file itself is not instrumented.
#include <cstdint>

extern "C" void __afl_trace(uint32_t location);

extern "C" void __sanitizer_cov_trace_pc() {
  auto pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  uint64_t h = (static_cast<uint64_t>(pc) ^ (pc >> 15)) * 0x9E3779B97F4A7C15ull;
  __afl_trace(static_cast<uint32_t>(h >> 48));  // 16 bits: AFL's 64 KiB map
}

// GCC's trace-cmp also reports floating-point compares, which AFL++ has no hook for (it learns
// from integer and string operands only): accepted and ignored.
extern "C" void __sanitizer_cov_trace_cmpf(float, float) {}
extern "C" void __sanitizer_cov_trace_cmpd(double, double) {}
