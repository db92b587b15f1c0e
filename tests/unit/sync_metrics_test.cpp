// The follower sync's gauges: the rate of a run is measured in milliseconds and stays readable
// after the run ends, as docs/sync.md promises ("the current or last run").
#include "bridge/metrics/sync_metrics.h"

#include <boost/test/unit_test.hpp>

using namespace wxb;

BOOST_AUTO_TEST_SUITE(sync_metrics)

BOOST_AUTO_TEST_CASE(a_sub_second_run_keeps_its_rate_after_it_ends) {
  Metrics metrics;
  SyncHooks hooks = syncMetricsHooks(metrics);
  SyncProgress last;
  last.run.followers = 501;
  last.run.total = 501;
  last.sessionFollowers = 501;
  last.sessionElapsedMs = 940;  // 501 followers in 0.94 s
  hooks.onProgress(last);
  SyncRun finished = last.run;
  finished.state = SyncState::Completed;
  hooks.onFinish(finished);
  BOOST_TEST(metrics.value("wxbridge_sync_running", {}) == 0);
  BOOST_TEST(metrics.value("wxbridge_sync_followers_per_second", {}) == 501 * 1000.0 / 940,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(metrics.value("wxbridge_sync_followers", {}) == 501);
}

BOOST_AUTO_TEST_SUITE_END()
