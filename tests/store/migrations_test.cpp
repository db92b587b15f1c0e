// Store contract: migrations are applied once, in order, even by instances starting together.
#include "store/migrations/migrations.h"

#include <boost/test/unit_test.hpp>

#include "store/open_store.h"
#include "support/store_fixture.h"

namespace wxb::test {

BOOST_FIXTURE_TEST_SUITE(store_migrations, StoreFixture)

BOOST_AUTO_TEST_CASE(second_migrate_applies_nothing) {
  auto report = store->migrate();
  BOOST_TEST(report.applied.empty());
  BOOST_TEST(report.already.size() == migrationsFor(store->dialect()).size());
}

BOOST_AUTO_TEST_CASE(two_processes_migrating_a_new_database_apply_each_migration_once) {
  StoreSettings empty = freshStoreSettings(backendName);
  size_t total = migrationsFor(backendName).size();
  BOOST_REQUIRE(total > 0);
  bool ok = runInProcesses(3, [&](int) {
    auto own = openStore(empty, wallClock());
    auto report = own->migrate();
    return report.applied.size() + report.already.size() == total ? 0 : 1;
  });
  BOOST_TEST(ok);
  auto after = openStore(empty, wallClock());
  auto report = after->migrate();
  BOOST_TEST(report.applied.empty());
  BOOST_TEST(report.already.size() == total);
  after->accounts().upsertFollowers({{"oa1", "u1", true}}, 1);
  BOOST_TEST(after->accounts().count() == 1);
}

BOOST_AUTO_TEST_CASE(migrations_exist_for_both_dialects_with_the_same_names) {
  auto sqlite = migrationsFor("sqlite");
  auto mysql = migrationsFor("mysql");
  BOOST_REQUIRE(sqlite.size() == mysql.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    BOOST_TEST(std::string(sqlite[i].name) == std::string(mysql[i].name));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
