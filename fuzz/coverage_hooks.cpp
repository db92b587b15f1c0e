// The coverage hooks of every binary of a WXB_FUZZ=ON build but the fuzzers: there the folders
// the fuzz targets reach are compiled into wxbcore with -fsanitize-coverage=trace-pc,trace-cmp
// (fuzz/CMakeLists.txt), so the tests, wxbridge and the corpus replays call these hooks too.
// They do nothing. Weak: a fuzzer links afl_trace_pc.cpp and AFL++'s runtime, whose
// definitions take their place. The list is what GCC 12's trace-pc and trace-cmp call.
#include <cstdint>

#define WXB_NO_OP extern "C" __attribute__((weak)) void
WXB_NO_OP __sanitizer_cov_trace_pc() {}
WXB_NO_OP __sanitizer_cov_trace_cmp1(uint8_t, uint8_t) {}
WXB_NO_OP __sanitizer_cov_trace_cmp2(uint16_t, uint16_t) {}
WXB_NO_OP __sanitizer_cov_trace_cmp4(uint32_t, uint32_t) {}
WXB_NO_OP __sanitizer_cov_trace_cmp8(uint64_t, uint64_t) {}
WXB_NO_OP __sanitizer_cov_trace_const_cmp1(uint8_t, uint8_t) {}
WXB_NO_OP __sanitizer_cov_trace_const_cmp2(uint16_t, uint16_t) {}
WXB_NO_OP __sanitizer_cov_trace_const_cmp4(uint32_t, uint32_t) {}
WXB_NO_OP __sanitizer_cov_trace_const_cmp8(uint64_t, uint64_t) {}
WXB_NO_OP __sanitizer_cov_trace_cmpf(float, float) {}
WXB_NO_OP __sanitizer_cov_trace_cmpd(double, double) {}
WXB_NO_OP __sanitizer_cov_trace_switch(uint64_t, uint64_t*) {}
#undef WXB_NO_OP
