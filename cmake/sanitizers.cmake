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
