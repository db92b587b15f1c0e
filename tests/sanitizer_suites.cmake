# The ThreadSanitizer pass (scripts/sanitize tsan) runs the suites of the concurrent parts, not
# the whole suite: the lookup batcher, the scheduler and its loop (TimedLoop), the schedule
# engine's wake-up loop, the rate limiter, leases, the token service, the outbox sender (store
# claims and the notify suites - its workers and housekeeping thread share the channel budgets
# and 45009 pauses), the real-time notice engine (its deciding thread woken by other threads:
# notice_engine; the store's decision claims: store_notices; the window rules it applies:
# notify_notice_window; two ThreadSanitizer-built serves deciding together: notice_instances),
# the callback receiver and its worker thread (callback_push drives a ThreadSanitizer-built
# serve), and the HTTP server's connection handling (hostile_http and serve drive a
# ThreadSanitizer-built wxbridge). Each is one ctest entry of tests/CMakeLists.txt (BINARY.SUITE,
# or BACKEND.SUITE for the store).
#
# In a ThreadSanitizer build each test binary is compiled from the sources that declare one of
# these suites, and the sources that declare none (main.cpp, shared helpers such as
# integration/notify_env.cpp) - nothing else is compiled or run there (CI time,
# docs/reliability.md). The entries get the label tsan (scripts/sanitize runs `ctest -L tsan`).
# An entry that no longer exists stops the configuration, so the list cannot silently shrink.
set(WXB_TSAN_ENTRIES unit.lookup_batcher unit.cron_scheduler unit.cron_timed_loop
  unit.notify_schedule_engine unit.wechat_rate_limiter unit.lease_owner unit.notify_notice_window
  integration.token_service integration.notify integration.notify_crash integration.hostile_http
  integration.serve integration.serve_store_outage integration.notice_instances
  integration.callback_push)
foreach(suite store_leases store_tokens store_notify store_notices notice_engine)
  list(APPEND WXB_TSAN_ENTRIES sqlite.${suite} mysql.${suite})
endforeach()

# wxb_tsan_sources(OUT BINARY BACKENDS SOURCES...): of the sources of test binary BINARY (its
# entries BINARY.SUITE, or BACKEND.SUITE for each of BACKENDS), those a ThreadSanitizer build
# compiles: the ones declaring a listed suite, and the ones declaring no suite.
function(wxb_tsan_sources out binary backends)
  set(kept "")
  foreach(src ${ARGN})
    wxb_suites_of(suites ${src})
    set(keep TRUE)
    if(suites)
      set(keep FALSE)
    endif()
    foreach(suite ${suites})
      foreach(prefix ${binary} ${backends})
        if("${prefix}.${suite}" IN_LIST WXB_TSAN_ENTRIES)
          set(keep TRUE)
        endif()
      endforeach()
    endforeach()
    if(keep)
      list(APPEND kept ${src})
    endif()
  endforeach()
  set(${out} ${kept} PARENT_SCOPE)
endfunction()

# After the test binaries: the label, and the check that every listed entry exists.
function(wxb_tsan_label_entries)
  foreach(entry ${WXB_TSAN_ENTRIES})
    if(NOT TEST ${entry})
      message(FATAL_ERROR "tests/sanitizer_suites.cmake: no ctest entry ${entry}")
    endif()
    set_tests_properties(${entry} PROPERTIES LABELS tsan)
  endforeach()
endfunction()
