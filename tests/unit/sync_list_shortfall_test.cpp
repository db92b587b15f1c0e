// When a follower list that reached its end is trusted to tell who left: a shortfall against
// the platform's total of up to 0.5% (at least 10) is churn; more is a truncated list.
#include <boost/test/unit_test.hpp>

#include "sync/list_shortfall.h"

using namespace wxb;

BOOST_AUTO_TEST_SUITE(sync_list_shortfall)

BOOST_AUTO_TEST_CASE(tolerance_is_half_a_percent_of_the_total_but_at_least_ten) {
  BOOST_TEST(tolerableShortfall(0) == 10);
  BOOST_TEST(tolerableShortfall(600) == 10);
  BOOST_TEST(tolerableShortfall(2'000) == 10);
  BOOST_TEST(tolerableShortfall(10'000) == 50);
  BOOST_TEST(tolerableShortfall(1'000'000) == 5'000);
}

BOOST_AUTO_TEST_CASE(a_full_or_longer_list_is_trusted) {
  BOOST_TEST(!listShortfall(0, 0).has_value());
  BOOST_TEST(!listShortfall(2'000, 2'000).has_value());
  // Followers who left after being listed make the list longer than the last total.
  BOOST_TEST(!listShortfall(2'010, 2'000).has_value());
}

BOOST_AUTO_TEST_CASE(a_shortfall_within_the_tolerance_is_trusted_as_churn) {
  BOOST_TEST(!listShortfall(1'990, 2'000).has_value());
  BOOST_TEST(!listShortfall(995'000, 1'000'000).has_value());
}

BOOST_AUTO_TEST_CASE(a_shortfall_beyond_the_tolerance_reports_the_missing_followers) {
  BOOST_TEST(listShortfall(1'989, 2'000).value_or(0) == 11);
  BOOST_TEST(listShortfall(1'500, 2'000).value_or(0) == 500);
  BOOST_TEST(listShortfall(0, 11).value_or(0) == 11);
  // An empty list while the platform counts followers is never churn, however few.
  BOOST_TEST(listShortfall(0, 3).value_or(0) == 3);
  BOOST_TEST(!listShortfall(1, 3).has_value());
  // One lost page of 10,000 in a million followers.
  BOOST_TEST(listShortfall(990'000, 1'000'000).value_or(0) == 10'000);
  BOOST_TEST(listShortfall(994'999, 1'000'000).value_or(0) == 5'001);
}

BOOST_AUTO_TEST_SUITE_END()
