#include "store/db/sqlite_db.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace Poco::Data::Keywords;

namespace wxb {

namespace {

template <typename... Kinds>
bool isOneOf(const Poco::Exception& e) {
  return ((dynamic_cast<const Kinds*>(&e) != nullptr) || ...);
}

bool isBusy(const Poco::Exception& e) {
  using namespace Poco::Data::SQLite;
  return isOneOf<DBLockedException, TableLockedException>(e);
}

// The store's exception for a Poco SQLite error: a database that cannot take writes now
// (read-only, unreadable, full) is unavailable (503, retried later); the rest is unexpected.
[[noreturn]] void throwStoreError(const Poco::Exception& e) {
  using namespace Poco::Data::SQLite;
  const std::string what = "SQLite: " + e.displayText();
  if (isBusy(e)) throw LockConflict(what);
  if (isOneOf<ConstraintViolationException>(e)) throw DuplicateKey(what);
  if (isOneOf<ReadOnlyException, DBAccessDeniedException>(e)) {
    throw StoreUnavailable("SQLite: the database cannot take writes: " + e.displayText());
  }
  if (isOneOf<CantOpenDBFileException, IOErrorException, DatabaseFullException>(e)) {
    throw StoreUnavailable(what);
  }
  throw StoreError(what);
}

Poco::Data::Session openSession(const std::string& path) {
  Poco::Data::SQLite::Connector::registerConnector();
  if (path != ":memory:") {
    auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder);
  }
  // Switching a new file to WAL needs a lock that SQLite does not wait for through the busy
  // timeout; another process opening the same new file at that moment makes it fail at once.
  // Only that is retried: any other failure will not go away by waiting.
  for (int attempt = 1;; ++attempt) {
    try {
      Poco::Data::Session session("SQLite", path);
      session << "PRAGMA busy_timeout=10000", now;
      if (path != ":memory:") session << "PRAGMA journal_mode=WAL", now;
      session << "PRAGMA synchronous=NORMAL", now;
      return session;
    } catch (const Poco::Exception& e) {
      const std::string what = "cannot open SQLite database " + path + ": " + e.displayText();
      if (!isBusy(e)) throw StoreConfigError("store.url", what);
      if (attempt >= 50) throw StoreUnavailable(what);
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * std::min(attempt, 5)));
    }
  }
}

// Runs fn, turning Poco's SQLite errors into the store's.
template <typename Fn>
auto translated(Fn&& fn) {
  try {
    return fn();
  } catch (const Poco::Exception& e) {
    throwStoreError(e);
  }
}

// One row of a RecordSet.
class SqliteRow final : public Row {
 public:
  SqliteRow(Poco::Data::RecordSet& rs, size_t row) : rs_(rs), row_(row) {}
  int64_t int64(size_t column) const override {
    return isNull(column) ? 0 : rs_.value(column, row_).convert<Poco::Int64>();
  }
  std::string text(size_t column) const override {
    return isNull(column) ? std::string() : rs_.value(column, row_).convert<std::string>();
  }
  bool isNull(size_t column) const override { return rs_.isNull(column, row_); }

 private:
  Poco::Data::RecordSet& rs_;
  size_t row_;
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Poco::Data::Session& session) : session_(session) {}

  int64_t execute(const std::string& sql, const Params& params) override {
    return translated([&] {
      Poco::Data::Statement statement = prepare(sql, params);
      return static_cast<int64_t>(statement.execute());
    });
  }

  void select(const std::string& sql, const Params& params,
              const std::function<void(const Row&)>& onRow) override {
    translated([&] {
      Poco::Data::Statement statement = prepare(sql, params);
      statement.execute();
      Poco::Data::RecordSet rs(statement);
      for (size_t i = 0; i < rs.rowCount(); ++i) onRow(SqliteRow(rs, i));
    });
  }

  void executeScript(const std::string& sql) override {
    translated([&] { session_ << sql, now; });
  }

 private:
  Poco::Data::Statement prepare(const std::string& sql, const Params& params) {
    Poco::Data::Statement statement(session_);
    statement << sql;
    for (const auto& value : params.values()) {
      if (const auto* n = std::get_if<int64_t>(&value)) {
        statement, bind(static_cast<Poco::Int64>(*n));
      } else {
        statement, bind(std::string(std::get<std::string_view>(value)));
      }
    }
    return statement;
  }

  Poco::Data::Session& session_;
};

}  // namespace

SqliteDb::SqliteDb(const std::string& path, const Clock& clock)
    : Db(Dialect(Dialect::Kind::Sqlite), clock), session_(openSession(path)) {}

void SqliteDb::exclusive(const std::string&, const std::function<void(Session&)>& fn) {
  transaction(fn);
}

void SqliteDb::runOnce(Unit unit, const std::function<void(Session&)>& fn) {
  std::lock_guard lock(mutex_);
  SqliteSession session(session_);
  if (unit == Unit::Session) return fn(session);
  session.executeScript("BEGIN IMMEDIATE");
  try {
    fn(session);
    session.executeScript("COMMIT");
  } catch (...) {
    try {
      session.executeScript("ROLLBACK");
    } catch (const StoreError&) {
      // Nothing was begun, or SQLite rolled back already.
    }
    throw;
  }
}

}  // namespace wxb
