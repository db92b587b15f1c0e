# WXB_SANITIZE: build everything (the core library, wxbridge, fake-wechat, the tests) with GCC's
# sanitizers, in a build folder of its own. scripts/test uses "address,undefined" (build-asan)
# and "thread" (build-tsan). A sanitizer finding aborts the process (-fno-sanitize-recover), so
# a test that triggers one fails; reports of child processes (wxbridge, fake-wechat started by
# the integration tests) go to the files named by the *SAN_OPTIONS log_path that scripts/test
# sets, and scripts/test fails the pass when any exists.
set(WXB_SANITIZE "" CACHE STRING "Sanitizers: address,undefined | thread | empty for none")
if(WXB_SANITIZE)
  if(NOT WXB_SANITIZE MATCHES "^(address|undefined|thread)(,(address|undefined|thread))*$")
    message(FATAL_ERROR "WXB_SANITIZE=${WXB_SANITIZE}: use address,undefined or thread")
  endif()
  if(WXB_SANITIZE MATCHES "thread" AND WXB_SANITIZE MATCHES "address")
    message(FATAL_ERROR "WXB_SANITIZE: thread cannot be combined with address")
  endif()
  add_compile_options(-fsanitize=${WXB_SANITIZE} -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${WXB_SANITIZE})
endif()

# WXB_TEST_OPTIONS: extra options for the test sources (tests/). In a sanitizer build they are
# compiled at -O0 (the core library stays at the pass's -O1, so the code under test runs as fast
# as before and reports keep file and line): the test sources are about two thirds of a
# sanitizer build's compile time, and -O0 halves it (tests/integration/notify_test.cpp under
# ASan + UBSan: 36.0 CPU s at -O1, 16.5 at -O0; docs/reliability.md "CI time").
set(WXB_TEST_OPTIONS "")
if(WXB_SANITIZE)
  set(WXB_TEST_OPTIONS -O0)
endif()
