// Store contract: the scheduler's FireLog.
#include <boost/test/unit_test.hpp>

#include "support/store_fixture.h"

namespace wxb::test {

BOOST_FIXTURE_TEST_SUITE(store_fire_log, StoreFixture)

BOOST_AUTO_TEST_CASE(a_job_never_fired_has_no_last_fire) {
  BOOST_TEST(!store->fireLog().lastFireMs("sync").has_value());
}

BOOST_AUTO_TEST_CASE(last_fire_is_kept_per_job_and_never_moves_backwards) {
  store->fireLog().recordFireMs("sync", 2'000);
  store->fireLog().recordFireMs("digest", 5'000);
  store->fireLog().recordFireMs("sync", 1'000);  // a slower instance recording an older fire
  BOOST_TEST(*store->fireLog().lastFireMs("sync") == 2'000);
  BOOST_TEST(*store->fireLog().lastFireMs("digest") == 5'000);
  store->fireLog().recordFireMs("sync", 3'000);
  BOOST_TEST(*store->fireLog().lastFireMs("sync") == 3'000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
