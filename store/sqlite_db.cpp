#include "store/sqlite_db.h"

#include <Poco/Data/SQLite/Connector.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace Poco::Data::Keywords;

namespace wxb {

namespace {

Poco::Data::Session openSession(const std::string& path) {
  Poco::Data::SQLite::Connector::registerConnector();
  if (path != ":memory:") {
    auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder);
  }
  // Switching a new file to WAL needs a lock that SQLite does not wait for through the busy
  // timeout; another process opening the same new file at that moment makes it fail at once.
  for (int attempt = 1;; ++attempt) {
    try {
      Poco::Data::Session session("SQLite", path);
      session << "PRAGMA busy_timeout=10000", now;
      if (path != ":memory:") session << "PRAGMA journal_mode=WAL", now;
      session << "PRAGMA synchronous=NORMAL", now;
      return session;
    } catch (const Poco::Exception& e) {
      if (attempt >= 50) {
        throw StoreUnavailable("cannot open SQLite database " + path + ": " + e.displayText());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * std::min(attempt, 5)));
    }
  }
}

}  // namespace

SqliteDb::SqliteDb(const std::string& path) : session_(openSession(path)) {}

void SqliteDb::execute(const char* statement) { session_ << statement, now; }

}  // namespace wxb
