// Store contract: the isolation level of pooled work (REVIEW5 F4). A MySQL connection that ran a
// READ COMMITTED transaction (Db::readCommittedTransaction) goes back to the pool; whatever it ran
// before - such a transaction, one that threw, or none because it was reconnected - the next
// session or plain transaction on it runs at the server's default, REPEATABLE READ, and the next
// READ COMMITTED transaction at READ COMMITTED. One connection in the pool, so every unit of work
// reuses it. SQLite has one level (its transactions are serializable): there the test checks
// that no unit of work leaves the connection reading uncommitted rows.
#include <boost/test/unit_test.hpp>
#include <memory>
#include <stdexcept>

#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

const Stmt<> kMysqlLevel = "SELECT @@tx_isolation";
const Stmt<> kSqliteUncommitted = "PRAGMA read_uncommitted";
const Stmt<> kConnectionId = "SELECT CONNECTION_ID()";

// The level `s` runs its statements at: "REPEATABLE-READ", "READ-COMMITTED" (MySQL), or
// "SERIALIZABLE" / "READ-UNCOMMITTED" (SQLite).
std::string level(Session& s, bool mysql) {
  if (mysql) return s.queryOne<std::string>(kMysqlLevel).value_or("?");
  return s.queryOne<int64_t>(kSqliteUncommitted).value_or(1) ? "READ-UNCOMMITTED" : "SERIALIZABLE";
}

struct OneConnection : StoreFixture {
  bool mysql = settings.kind == StoreSettings::Kind::Mysql;
  std::unique_ptr<Db> db;
  std::string plain = mysql ? "REPEATABLE-READ" : "SERIALIZABLE";
  std::string committed = mysql ? "READ-COMMITTED" : "SERIALIZABLE";

  OneConnection() {
    StoreSettings one = settings;
    one.poolSize = 1;
    if (mysql) {
      db = std::make_unique<MysqlDb>(one, wallClock());
    } else {
      db = std::make_unique<SqliteDb>(one.sqlitePath, wallClock());
    }
  }
  std::string sessionLevel() {
    return db->session([&](Session& s) { return level(s, mysql); });
  }
  std::string readCommittedLevel() {
    return db->readCommittedTransaction([&](Session& s) { return level(s, mysql); });
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_isolation, OneConnection)

BOOST_AUTO_TEST_CASE(a_session_after_a_read_committed_transaction_runs_at_the_default) {
  BOOST_TEST(sessionLevel() == plain);
  BOOST_TEST(readCommittedLevel() == committed);
  BOOST_TEST(sessionLevel() == plain);
  BOOST_TEST(db->transaction([&](Session& s) { return level(s, mysql); }) == plain);
  BOOST_TEST(readCommittedLevel() == committed);
  BOOST_TEST(db->transaction([&](Session& s) { return level(s, mysql); }) == plain);
}

BOOST_AUTO_TEST_CASE(a_session_after_a_read_committed_transaction_that_threw_runs_at_the_default) {
  BOOST_CHECK_THROW(db->readCommittedTransaction([&](Session& s) -> int {
    BOOST_TEST(level(s, mysql) == committed);
    throw std::runtime_error("test: the work failed");
  }),
                    std::runtime_error);
  BOOST_TEST(sessionLevel() == plain);
}

BOOST_AUTO_TEST_CASE(a_reconnected_connection_runs_each_kind_of_work_at_its_level) {
  if (!mysql) {
    BOOST_TEST(sessionLevel() == plain);  // SQLite reconnects never
    return;
  }
  BOOST_TEST(readCommittedLevel() == committed);
  const int64_t id = db->queryOne<int64_t>(kConnectionId).value_or(0);
  MysqlDb other(settings, wallClock());
  other.session([&](Session& s) { s.executeScript("KILL " + std::to_string(id)); });
  BOOST_TEST(sessionLevel() == plain);  // the killed connection is replaced (one retry)
  BOOST_TEST(db->queryOne<int64_t>(kConnectionId).value_or(id) != id);
  BOOST_TEST(readCommittedLevel() == committed);
  BOOST_TEST(sessionLevel() == plain);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
