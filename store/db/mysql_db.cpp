#include "store/db/mysql_db.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <memory>

namespace wxb {

namespace {

// Runs fn, turning Connector/C++ errors into the store's.
template <typename Fn>
auto translated(Fn&& fn) {
  try {
    return fn();
  } catch (const sql::SQLException& e) {
    throwStoreError(e);
  }
}

// One row of a Connector/C++ result set (whose columns count from 1).
class MysqlRow final : public Row {
 public:
  explicit MysqlRow(sql::ResultSet& rs) : rs_(rs) {}
  int64_t int64(size_t column) const override { return rs_.getInt64(index(column)); }
  std::string text(size_t column) const override {
    return rs_.getString(index(column)).asStdString();
  }
  bool isNull(size_t column) const override { return rs_.isNull(index(column)); }

 private:
  static uint32_t index(size_t column) { return static_cast<uint32_t>(column + 1); }
  sql::ResultSet& rs_;
};

class MysqlSession final : public Session {
 public:
  explicit MysqlSession(MysqlConn& conn) : conn_(conn) {}

  int64_t execute(const std::string& sql, const Params& params) override {
    return translated([&] { return static_cast<int64_t>(prepare(sql, params).executeUpdate()); });
  }

  void select(const std::string& sql, const Params& params,
              const std::function<void(const Row&)>& onRow) override {
    translated([&] {
      std::unique_ptr<sql::ResultSet> rs(prepare(sql, params).executeQuery());
      MysqlRow row(*rs);
      while (rs->next()) onRow(row);
    });
  }

  void executeScript(const std::string& sql) override {
    translated([&] {
      std::unique_ptr<sql::Statement> statement(conn_.raw().createStatement());
      statement->execute(sql);
    });
  }

 private:
  sql::PreparedStatement& prepare(const std::string& sql, const Params& params) {
    sql::PreparedStatement& statement = conn_.prepare(sql);
    unsigned index = 1;
    for (const auto& value : params.values()) {
      if (const auto* n = std::get_if<int64_t>(&value)) {
        statement.setInt64(index++, *n);
      } else {
        const auto text = std::get<std::string_view>(value);
        statement.setString(index++, sql::SQLString(text.data(), text.size()));
      }
    }
    return statement;
  }

  MysqlConn& conn_;
};

const Stmt<std::string> kGetLock = "SELECT GET_LOCK(?, 120)";
const Stmt<std::string> kReleaseLock = "SELECT RELEASE_LOCK(?)";
// The binary log's format, or no row when the server keeps no binary log.
const Stmt<> kBinlogFormat = "SELECT @@binlog_format FROM DUAL WHERE @@log_bin = 1";

std::string serverOf(const StoreSettings& settings) {
  return "mysql://" + settings.user + "@" + settings.host + ":" + std::to_string(settings.port) +
         "/" + settings.database;
}

}  // namespace

MysqlDb::MysqlDb(const StoreSettings& settings, const Clock& clock)
    : Db(Dialect(Dialect::Kind::Mysql), clock), pool_(settings) {
  // InnoDB refuses every write at READ COMMITTED - the level of the real-time intake, the notice
  // decisions, the digest and the outbox claim (docs/store.md) - while the binary log is written
  // statement by statement (error 1665): refused here, once, rather than as those writes fail.
  if (queryOne<std::string>(kBinlogFormat) == "STATEMENT") {
    throw StoreConfigError("store.url",
                           serverOf(settings) +
                               ": the server writes its binary log (log_bin ON) with "
                               "binlog_format=STATEMENT, under which InnoDB refuses writes at READ "
                               "COMMITTED (error 1665), as wxbridge's real-time intake, notice "
                               "decisions, digest and outbox claim make them; set binlog_format to "
                               "MIXED or ROW on the server (docs/deployment.md)");
  }
}

void MysqlDb::runOnce(Unit unit, const std::function<void(Session&)>& fn) {
  pool_.run([&](MysqlConn& conn) {
    MysqlSession session(conn);
    if (unit == Unit::Session) {
      conn.autocommitted([&] { fn(session); });
    } else {
      conn.transaction([&] { fn(session); }, unit == Unit::ReadCommitted);
    }
  });
}

void MysqlDb::exclusive(const std::string& name, const std::function<void(Session&)>& fn) {
  session([&](Session& s) {
    if (s.queryOne<int64_t>(kGetLock, name).value_or(0) != 1) {
      throw StoreError("could not take the lock " + name + " within 120 s");
    }
    try {
      fn(s);
    } catch (...) {
      s.queryOne<int64_t>(kReleaseLock, name);
      throw;
    }
    s.queryOne<int64_t>(kReleaseLock, name);
  });
}

}  // namespace wxb
