// Store contract: the retention purges and the callback job claim lock only the rows they
// delete or claim (REVIEW5 F6, store/db/purge_chunk.h): on a table holding few rows for the
// keys, MariaDB 10.11 planned their `... WHERE id IN (...)` as a scan of the whole table, which
// waits for every uncommitted row it meets. On MariaDB each case holds an uncommitted insert
// into the table open (up to 10 s) and needs the purge or claim to finish meanwhile; SQLite has
// one writer at a time, so there the cases check what was deleted or claimed only.
#include <boost/test/unit_test.hpp>

#include "store/callback/callback_store.h"
#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

std::unique_ptr<Db> ownDb(const StoreSettings& settings) {
  if (settings.kind == StoreSettings::Kind::Mysql) {
    return std::make_unique<MysqlDb>(settings, wallClock());
  }
  return std::make_unique<SqliteDb>(settings.sqlitePath, wallClock());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_purge_locks, StoreFixture)

BOOST_AUTO_TEST_CASE(a_purge_of_read_events_does_not_wait_for_an_uncommitted_event) {
  constexpr int kRead = 16;
  for (int e = 0; e < kRead; ++e) {
    store->notifications().addEvent(
        NotifyEvent{"r" + std::to_string(e), "u1", "chat", "Li", "hi", 1'000});
  }
  store->notifications().markRead("u1", {}, 1'500);
  PurgeCounts purged;
  const bool first = whileAnInsertIsOpen(
      settings,
      "INSERT INTO events(event_id, unionid, type, actor, text, created_at, notice)"
      " VALUES ('new', 'u2', 'chat', '', '', 3000, -1)",
      [&] { purged = store->notifications().purgeBefore(2'000, 1'000); });
  BOOST_TEST(purged.events == kRead);
  BOOST_TEST(first);  // the purge finished while the insert was open
  BOOST_TEST(store->notifications().purgeBefore(2'000, 1'000).events == 0);
}

BOOST_AUTO_TEST_CASE(a_job_claim_does_not_wait_for_an_uncommitted_new_job) {
  constexpr int kJobs = 16;
  auto db = ownDb(settings);
  for (int j = 0; j < kJobs; ++j) {
    db->session([&](Session& s) {
      s.executeScript(
          "INSERT INTO callback_jobs(kind, openid, payload, next_attempt_at, created_at,"
          " updated_at) VALUES ('follow', 'o" +
          std::to_string(j) + "', '', 0, 0, 0)");
    });
  }
  std::vector<CallbackJob> claimed;
  const bool first = whileAnInsertIsOpen(
      settings,
      "INSERT INTO callback_jobs(kind, openid, payload, next_attempt_at, created_at, updated_at)"
      " VALUES ('follow', 'later', '', 99999999, 0, 0)",
      [&] { claimed = store->callback().claimJobs("w1", kJobs, 1'000, 60'000); });
  BOOST_TEST(claimed.size() == static_cast<size_t>(kJobs));
  BOOST_TEST(first);  // the claim finished while the insert was open
  BOOST_TEST(store->callback().claimJobs("w2", kJobs, 1'000, 60'000).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
