// The numbers and text `wxbridge sync` shows while it runs: rate, ETA and the progress line.
#include <boost/test/unit_test.hpp>

#include "bridge/cli/cmd_sync.h"

using namespace wxb;

namespace {

SyncProgress progress(int64_t followers, int64_t total, int64_t sessionFollowers,
                      int64_t elapsedMs) {
  SyncProgress p;
  p.run.id = 7;
  p.run.pages = followers / 10000;
  p.run.followers = followers;
  p.run.total = total;
  p.sessionFollowers = sessionFollowers;
  p.sessionElapsedMs = elapsedMs;
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sync_progress)

BOOST_AUTO_TEST_CASE(rate_and_eta_count_only_this_sessions_work) {
  // Resumed at 300,000: this session did 100,000 in 4 s, 600,000 remain.
  SyncProgress p = progress(400'000, 1'000'000, 100'000, 4'000);
  BOOST_TEST(p.rate() == 25'000.0);
  BOOST_REQUIRE(p.etaMs().has_value());
  BOOST_TEST(*p.etaMs() == 24'000);
}

BOOST_AUTO_TEST_CASE(eta_is_unknown_before_the_first_page_or_without_a_total) {
  BOOST_TEST(!progress(0, 1'000'000, 0, 0).etaMs().has_value());
  BOOST_TEST(!progress(5'000, 0, 5'000, 1'000).etaMs().has_value());
}

BOOST_AUTO_TEST_CASE(the_line_shows_bar_counts_page_rate_and_eta) {
  std::string line = syncProgressLine(progress(380'000, 1'000'000, 380'000, 10'000), 10);
  BOOST_TEST(line ==
             "sync run 7 [###.......] 38% 380,000/1,000,000 followers, page 38, "
             "38,000/s, ETA 0:17");
}

BOOST_AUTO_TEST_CASE(without_a_total_the_line_shows_counts_only) {
  std::string line = syncProgressLine(progress(0, 0, 0, 0), 10);
  BOOST_TEST(line == "sync run 7 0 followers, page 0, 0/s");
}

BOOST_AUTO_TEST_SUITE_END()
