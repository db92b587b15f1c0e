// Store contract: access tokens (compare-and-set) and forced-refresh accounting.
#include <boost/test/unit_test.hpp>

#include "support/store_fixture.h"

namespace wxb::test {

BOOST_FIXTURE_TEST_SUITE(store_tokens, StoreFixture)

BOOST_AUTO_TEST_CASE(first_token_is_version_one_and_a_second_first_write_loses) {
  BOOST_TEST(!store->tokens().load("oa").has_value());
  auto v = store->tokens().save("oa", "tokenA", 7'200'000, 1'000, 0);
  BOOST_REQUIRE(v);
  BOOST_TEST(*v == 1);
  BOOST_TEST(!store->tokens().save("oa", "tokenB", 7'200'000, 1'000, 0).has_value());
  auto t = store->tokens().load("oa");
  BOOST_REQUIRE(t);
  BOOST_TEST(t->accessToken == "tokenA");
  BOOST_TEST(t->expiresAtMs == 7'200'000);
  BOOST_TEST(t->fetchedAtMs == 1'000);
  BOOST_TEST(t->version == 1);
}

BOOST_AUTO_TEST_CASE(an_older_writer_never_overwrites_a_newer_token) {
  store->tokens().save("oa", "t1", 100, 1, 0);
  BOOST_TEST(*store->tokens().save("oa", "t2", 200, 2, 1) == 2);
  BOOST_TEST(!store->tokens().save("oa", "stale", 150, 3, 1).has_value());
  BOOST_TEST(store->tokens().load("oa")->accessToken == "t2");
  BOOST_TEST(store->tokens().load("oa")->version == 2);
}

BOOST_AUTO_TEST_CASE(long_tokens_are_stored_whole) {
  std::string token(600, 'x');
  token += "_end";
  store->tokens().save("mp", token, 100, 1, 0);
  BOOST_TEST(store->tokens().load("mp")->accessToken == token);
  BOOST_TEST(!store->tokens().load("oa").has_value());
}

BOOST_AUTO_TEST_CASE(expire_only_kills_the_token_that_failed) {
  store->tokens().save("oa", "t1", 10'000, 1, 0);
  store->tokens().save("oa", "t2", 20'000, 2, 1);
  BOOST_TEST(!store->tokens().expire("oa", "t1"));
  BOOST_TEST(store->tokens().load("oa")->expiresAtMs == 20'000);
  BOOST_TEST(store->tokens().expire("oa", "t2"));
  BOOST_TEST(store->tokens().load("oa")->expiresAtMs == 0);
  BOOST_TEST(!store->tokens().expire("oa", "t2"));
}

BOOST_AUTO_TEST_CASE(forced_refreshes_are_30_seconds_apart) {
  BOOST_TEST(store->tokens().tryCountForcedRefresh("oa", "2026-11-21", 100'000, 30'000, 20));
  BOOST_TEST(!store->tokens().tryCountForcedRefresh("oa", "2026-11-21", 129'999, 30'000, 20));
  BOOST_TEST(store->tokens().tryCountForcedRefresh("oa", "2026-11-21", 130'000, 30'000, 20));
  BOOST_TEST(store->tokens().forcedRefreshesOn("oa", "2026-11-21") == 2);
  BOOST_TEST(store->tokens().forcedRefreshesOn("mp", "2026-11-21") == 0);
}

BOOST_AUTO_TEST_CASE(forced_refreshes_stop_at_the_daily_limit_and_reset_next_day) {
  int64_t t = 1'000'000;
  for (int i = 0; i < 20; ++i, t += 30'000) {
    BOOST_TEST(store->tokens().tryCountForcedRefresh("oa", "2026-11-21", t, 30'000, 20));
  }
  BOOST_TEST(!store->tokens().tryCountForcedRefresh("oa", "2026-11-21", t + 60'000, 30'000, 20));
  BOOST_TEST(store->tokens().forcedRefreshesOn("oa", "2026-11-21") == 20);
  BOOST_TEST(store->tokens().tryCountForcedRefresh("oa", "2026-11-22", t + 90'000, 30'000, 20));
  BOOST_TEST(store->tokens().forcedRefreshesOn("oa", "2026-11-22") == 1);
  BOOST_TEST(store->tokens().forcedRefreshesOn("oa", "2026-11-21") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
