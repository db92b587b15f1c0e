// The MariaDB statement runner's connection (store/db/mysql_pool.h): a transaction leaves the
// connection's autocommit off after COMMIT and only a unit of work outside a transaction turns
// it back on, so back-to-back transactions - the event push's shape - send no SET autocommit
// between them; and no statement outside a transaction is ever left uncommitted by that (seen
// from a second connection). Its prepared statements are bounded: the least recently used one
// is closed on the server when another would pass kStatementCacheSize. On the MariaDB of the
// run (scripts/test), one pooled connection.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>

#include "store/db/mysql_db.h"
#include "support/test_store.h"

namespace wxb::test {

namespace {

// This session's counter `name` (information_schema.SESSION_STATUS).
Stmt<> sessionCounter(const std::string& name) {
  return Stmt<>(
      "SELECT CAST(VARIABLE_VALUE AS SIGNED) FROM information_schema.SESSION_STATUS"
      " WHERE VARIABLE_NAME = '" +
      name + "'");
}
// A statement of its own text for each n.
Stmt<int64_t> numbered(size_t n) { return Stmt<int64_t>("SELECT ? + " + std::to_string(n)); }
const Stmt<int64_t> kInsert = "INSERT INTO pool_rows(n) VALUES(?)";
const Stmt<> kCount = "SELECT COUNT(*) FROM pool_rows";

struct OneConnection {
  OneConnection() {
    settings.poolSize = 1;
    db.session([](Session& s) { s.executeScript("CREATE TABLE pool_rows (n BIGINT NOT NULL)"); });
  }
  // The rows another connection sees: only committed ones.
  int64_t committedRows() {
    MysqlDb other(settings, wallClock());
    return other.queryOne<int64_t>(kCount).value_or(-1);
  }

  StoreSettings settings = freshStoreSettings("mysql");
  MysqlDb db{settings, wallClock()};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mysql_pool, OneConnection)

BOOST_AUTO_TEST_CASE(back_to_back_transactions_send_no_set_autocommit_between_them) {
  auto setOptions = [&] {
    return db.transaction(
        [](Session& s) { return s.queryOne<int64_t>(sessionCounter("COM_SET_OPTION")).value(); });
  };
  const int64_t first = setOptions();
  for (int i = 0; i < 5; ++i) db.transaction([&](Session& s) { s.exec(kInsert, i); });
  BOOST_TEST(setOptions() == first, "each transaction switched autocommit off and on again");
  BOOST_TEST(committedRows() == 5);
}

BOOST_AUTO_TEST_CASE(a_statement_after_a_transaction_is_committed_on_its_own) {
  db.transaction([](Session& s) { s.exec(kInsert, 1); });
  db.exec(kInsert, 2);
  BOOST_TEST(committedRows() == 2);
  db.session([](Session& s) {
    s.exec(kInsert, 3);
    s.exec(kInsert, 4);
  });
  BOOST_TEST(committedRows() == 4);
}

BOOST_AUTO_TEST_CASE(a_statement_after_a_rolled_back_transaction_is_committed_on_its_own) {
  BOOST_CHECK_THROW(db.transaction([](Session& s) {
    s.exec(kInsert, 1);
    throw std::runtime_error("test: the unit of work fails");
  }),
                    std::runtime_error);
  db.exec(kInsert, 2);
  BOOST_TEST(committedRows() == 1);
  db.transaction([](Session& s) { s.exec(kInsert, 3); });
  BOOST_TEST(committedRows() == 2);
}

BOOST_AUTO_TEST_CASE(a_connection_keeps_at_most_its_cache_size_of_statements_prepared) {
  const size_t bound = MysqlConn::kStatementCacheSize;
  for (size_t n = 0; n < bound + 50; ++n) {
    BOOST_TEST(db.queryOne<int64_t>(numbered(n), 1).value() == static_cast<int64_t>(n) + 1);
  }
  const int64_t prepared = db.queryOne<int64_t>(sessionCounter("COM_STMT_PREPARE")).value();
  const int64_t closed = db.queryOne<int64_t>(sessionCounter("COM_STMT_CLOSE")).value();
  BOOST_TEST(prepared >= static_cast<int64_t>(bound + 50));
  BOOST_TEST(prepared - closed <= static_cast<int64_t>(bound), "statements still prepared");
}

// The first statement, used again halfway, outlives the ones prepared after it and not used
// again: the bound evicts by last use, not by age.
BOOST_AUTO_TEST_CASE(the_statement_closed_is_the_least_recently_used) {
  const size_t half = MysqlConn::kStatementCacheSize * 3 / 4;
  db.queryOne<int64_t>(numbered(0), 1);
  for (size_t n = 1; n <= half; ++n) db.queryOne<int64_t>(numbered(n), 1);
  db.queryOne<int64_t>(numbered(0), 1);
  for (size_t n = half + 1; n <= 2 * half; ++n) db.queryOne<int64_t>(numbered(n), 1);
  const auto prepares = sessionCounter("COM_STMT_PREPARE");
  const int64_t before = db.queryOne<int64_t>(prepares).value();
  db.queryOne<int64_t>(numbered(0), 1);
  BOOST_TEST(db.queryOne<int64_t>(prepares).value() == before, "the reused statement was closed");
  db.queryOne<int64_t>(numbered(1), 1);
  BOOST_TEST(db.queryOne<int64_t>(prepares).value() == before + 1, "nothing was closed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
