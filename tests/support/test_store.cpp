#include "support/test_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"
#include "store/open_store.h"

namespace wxb::test {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string uniqueSuffix() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}() % 100000;
  return std::to_string(getpid()) + "_" + std::to_string(salt) + "_" + std::to_string(counter++);
}

}  // namespace

const Clock& wallClock() {
  static const SystemClock clock;
  return clock;
}

std::string backend() {
  std::string b = env("WXB_TEST_BACKEND");
  return b.empty() ? "sqlite" : b;
}

StoreSettings mysqlServerSettings() {
  std::string url = env("WXB_TEST_MYSQL_URL");
  if (url.empty()) {
    throw std::runtime_error(
        "WXB_TEST_MYSQL_URL is not set: run the tests through scripts/test, which starts "
        "MariaDB");
  }
  StoreSettings settings;
  if (auto problem = parseStoreUrl(url, settings)) throw std::runtime_error(*problem);
  settings.password = env("WXB_TEST_MYSQL_PASSWORD");
  settings.poolSize = 4;
  return settings;
}

StoreSettings freshStoreSettings(const std::string& backendName) {
  if (backendName == "sqlite") {
    auto dir = std::filesystem::temp_directory_path() / ("wxb-test-" + uniqueSuffix());
    std::filesystem::create_directories(dir);
    StoreSettings settings;
    settings.sqlitePath = (dir / "wxbridge.db").string();
    return settings;
  }
  if (backendName != "mysql") throw std::runtime_error("unknown backend " + backendName);
  StoreSettings settings = mysqlServerSettings();
  std::string database = "wxbt_" + uniqueSuffix();
  MysqlDb server(settings, wallClock());
  server.session([&](Session& s) {
    s.executeScript("CREATE DATABASE " + database);  // name made above, not from input
  });
  settings.database = database;
  return settings;
}

namespace {

// Runs statements as the server's own test user; names are made here, never from input.
void asServerUser(const std::vector<std::string>& statements) {
  MysqlDb server(mysqlServerSettings(), wallClock());
  server.session([&](Session& s) {
    for (const auto& statement : statements) s.executeScript(statement);
  });
}

std::vector<std::string> tablesOf(const std::string& database) {
  MysqlDb server(mysqlServerSettings(), wallClock());
  return server.session(
      [&](Session& s) { return s.rows<std::string>("SHOW TABLES FROM " + database, Params()); });
}

std::string account(const StoreSettings& user) { return "'" + user.user + "'@'127.0.0.1'"; }

}  // namespace

StoreSettings mysqlUserFor(const StoreSettings& db, bool writes) {
  StoreSettings user = db;
  user.user = "wxbu_" + uniqueSuffix();
  user.password = "pw" + uniqueSuffix();
  std::vector<std::string> grants = {
      "CREATE USER " + account(user) + " IDENTIFIED BY '" + user.password + "'",
      "GRANT SELECT, CREATE ON " + db.database + ".* TO " + account(user)};
  if (writes) {
    for (const auto& table : tablesOf(db.database)) {
      grants.push_back("GRANT INSERT, UPDATE, DELETE ON " + db.database + "." + table + " TO " +
                       account(user));
    }
  }
  asServerUser(grants);
  return user;
}

void revokeWrites(const StoreSettings& user) {
  std::vector<std::string> revokes;
  for (const auto& table : tablesOf(user.database)) {
    revokes.push_back("REVOKE INSERT, UPDATE, DELETE ON " + user.database + "." + table + " FROM " +
                      account(user));
  }
  asServerUser(revokes);
}

std::unique_ptr<Store> freshStore(const std::string& backendName) {
  auto store = openStore(freshStoreSettings(backendName), wallClock());
  store->migrate();
  return store;
}

std::unique_ptr<Store> memoryStore(const Clock& clock) {
  StoreSettings settings;
  settings.sqlitePath = ":memory:";
  auto store = openStore(settings, clock);
  store->migrate();
  return store;
}

StoreSettings migratedStoreSettings(const std::string& backendName) {
  StoreSettings settings = freshStoreSettings(backendName);
  openStore(settings, wallClock())->migrate();
  return settings;
}

std::string storeUrl(const StoreSettings& s) {
  if (s.kind == StoreSettings::Kind::Sqlite) return "sqlite:" + s.sqlitePath;
  return "mysql://" + s.user + "@" + s.host + ":" + std::to_string(s.port) + "/" + s.database;
}

void execSql(const StoreSettings& settings, const std::string& sql) {
  std::unique_ptr<Db> db;
  if (settings.kind == StoreSettings::Kind::Mysql) {
    db = std::make_unique<MysqlDb>(settings, wallClock());
  } else {
    db = std::make_unique<SqliteDb>(settings.sqlitePath, wallClock());
  }
  db->session([&](Session& s) { s.executeScript(sql); });
}

}  // namespace wxb::test
