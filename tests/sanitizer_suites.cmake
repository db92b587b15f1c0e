# The ThreadSanitizer pass (scripts/sanitize tsan) runs the suites of the concurrent parts, not
# the whole suite: the lookup batcher, the scheduler and its loop (TimedLoop), the schedule
# engine's wake-up loop, the rate limiter, leases, the token service, the outbox sender (store
# claims and the notify suites), and the HTTP server's connection handling (hostile_http and
# serve drive a ThreadSanitizer-built wxbridge). Each is one ctest entry of tests/CMakeLists.txt
# (BINARY.SUITE, or BACKEND.SUITE for the store); here they get the label tsan, and the other
# entries of the build are not run in that pass. A suite that no longer exists stops the
# configuration, so the list cannot silently shrink.
if(WXB_SANITIZE MATCHES "thread")
  set(tsan_entries unit.lookup_batcher unit.cron_scheduler unit.cron_timed_loop
    unit.notify_schedule_engine unit.wechat_rate_limiter unit.lease_owner integration.token_service
    integration.notify integration.notify_crash integration.hostile_http integration.serve
    integration.serve_store_outage)
  foreach(suite store_leases store_tokens store_notify)
    list(APPEND tsan_entries sqlite.${suite} mysql.${suite})
  endforeach()
  foreach(entry ${tsan_entries})
    if(NOT TEST ${entry})
      message(FATAL_ERROR "tests/sanitizer_suites.cmake: no ctest entry ${entry}")
    endif()
    set_tests_properties(${entry} PROPERTIES LABELS tsan)
  endforeach()
endif()
