#include "store/sqlite_db.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace Poco::Data::Keywords;

namespace wxb {

namespace {

bool isBusy(const Poco::Exception& e) {
  return dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&e) != nullptr ||
         dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&e) != nullptr;
}

Poco::Data::Session openSession(const std::string& path) {
  Poco::Data::SQLite::Connector::registerConnector();
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

}  // namespace

SqliteDb::SqliteDb(const std::string& path) : session_(openSession(path)) {}

void SqliteDb::execute(const char* statement) { session_ << statement, now; }

void SqliteDb::throwStoreError(const Poco::Exception& e) {
  using namespace Poco::Data::SQLite;
  const std::string what = "SQLite: " + e.displayText();
  if (dynamic_cast<const ReadOnlyException*>(&e) ||
      dynamic_cast<const DBAccessDeniedException*>(&e)) {
    throw StoreUnavailable("SQLite: the database cannot take writes: " + e.displayText());
  }
  if (isBusy(e) || dynamic_cast<const CantOpenDBFileException*>(&e) ||
      dynamic_cast<const IOErrorException*>(&e) || dynamic_cast<const DatabaseFullException*>(&e)) {
    throw StoreUnavailable(what);
  }
  throw StoreError(what);
}

}  // namespace wxb
