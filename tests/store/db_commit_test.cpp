// Store contract: a transaction that returned has committed. Connector/C++ 1.1's own commit()
// dropped the server's answer: when the connection was lost between a transaction's statements
// and the answer to its COMMIT - MariaDB killed (-9) in the crash matrix - the COMMIT failed
// unseen, the server rolled the work back, and POST /v1/messages answered 202 for a message it
// never stored (bench/crash.sh, docs/reliability.md "Crash matrix"). Here the transaction's
// connection is killed from another connection right before its COMMIT: the transaction must
// throw StoreUnavailable, leave nothing committed, and not run its work a second time (a COMMIT
// without an answer may have committed). SQLite has no connection to lose: there the same
// transaction commits its row.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

const Stmt<> kConnectionId = "SELECT CONNECTION_ID()";
const Stmt<> kRows = "SELECT COUNT(*) FROM commit_probe";
const Stmt<int64_t> kConnected = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?";

struct CommitProbe : StoreFixture {
  bool mysql = settings.kind == StoreSettings::Kind::Mysql;
  std::unique_ptr<Db> db;

  CommitProbe() {
    if (mysql) {
      db = std::make_unique<MysqlDb>(settings, wallClock());
    } else {
      db = std::make_unique<SqliteDb>(settings.sqlitePath, wallClock());
    }
    db->session(
        [](Session& s) { s.executeScript("CREATE TABLE commit_probe (k INTEGER PRIMARY KEY)"); });
  }
  int64_t rows() { return db->queryOne<int64_t>(kRows).value_or(-1); }
  // Kills MySQL connection `id` from another connection and waits until the server dropped it.
  void kill(int64_t id) {
    MysqlDb other(settings, wallClock());
    other.session([&](Session& s) { s.executeScript("KILL " + std::to_string(id)); });
    for (int i = 0; i < 100 && other.queryOne<int64_t>(kConnected, id).value_or(0) > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_commit, CommitProbe)

BOOST_AUTO_TEST_CASE(a_transaction_whose_commit_got_no_answer_throws_and_runs_once) {
  int runs = 0;
  auto work = [&](Session& s) {
    ++runs;
    s.executeScript("INSERT INTO commit_probe VALUES (1)");
    if (mysql && runs == 1) kill(s.queryOne<int64_t>(kConnectionId).value_or(0));
  };
  if (!mysql) {
    db->transaction(work);
    BOOST_TEST(rows() == 1);
    return;
  }
  BOOST_CHECK_THROW(db->transaction(work), StoreUnavailable);
  BOOST_TEST(runs == 1);    // not run again: a COMMIT without an answer may have committed
  BOOST_TEST(rows() == 0);  // the server rolled the killed connection's transaction back
  db->transaction(work);    // the pool reconnects; a transaction on a live connection commits
  BOOST_TEST(rows() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
