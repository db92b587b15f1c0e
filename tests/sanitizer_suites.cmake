# The ThreadSanitizer pass (scripts/sanitize tsan) runs the suites of the concurrent parts, not
# the whole suite: the lookup batcher, the scheduler, the rate limiter, leases, the token service,
# the outbox sender (store claims and the notify suites), and the HTTP server's connection
# handling (hostile_http and serve drive a ThreadSanitizer-built wxbridge). Each is a ctest
# entry tsan.BINARY.SUITE[.BACKEND] with the label tsan; the other entries of the build are not
# run in that pass.
if(WXB_SANITIZE MATCHES "thread")
  function(wxb_tsan_suites binary)
    cmake_parse_arguments(ARG "" "" "SUITES;BACKENDS" ${ARGN})
    foreach(suite ${ARG_SUITES})
      set(run ${binary} --run_test=${suite} --log_level=test_suite)
      if(NOT ARG_BACKENDS)
        add_test(NAME tsan.${binary}.${suite} COMMAND ${run})
        set_tests_properties(tsan.${binary}.${suite} PROPERTIES LABELS tsan)
      endif()
      foreach(backend ${ARG_BACKENDS})
        add_test(NAME tsan.${binary}.${suite}.${backend} COMMAND ${run})
        set_tests_properties(tsan.${binary}.${suite}.${backend} PROPERTIES LABELS tsan
          ENVIRONMENT WXB_TEST_BACKEND=${backend})
      endforeach()
    endforeach()
  endfunction()
  wxb_tsan_suites(unit_tests SUITES lookup_batcher cron_scheduler sync_token_bucket)
  wxb_tsan_suites(store_tests SUITES store_leases store_tokens store_notify
    BACKENDS sqlite mysql)
  wxb_tsan_suites(integration_tests SUITES token_service notify notify_crash hostile_http serve)
endif()
