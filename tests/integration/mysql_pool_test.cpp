// The MariaDB statement runner's connection (store/db/mysql_pool.h): a transaction leaves the
// connection's autocommit off after COMMIT and only a unit of work outside a transaction turns
// it back on, so back-to-back transactions - the event push's shape - send no SET autocommit
// between them; and no statement outside a transaction is ever left uncommitted by that (seen
// from a second connection). On the MariaDB of the run (scripts/test), one pooled connection.
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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
