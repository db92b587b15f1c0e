#include "store/migrations/migrate.h"

#include <set>

#include "store/db/db.h"
#include "store/migrations/migrations.h"

namespace wxb {

namespace {

// The table of applied migrations, per dialect.
struct MigrationsSql {
  const char* createTable;
};

const MigrationsSql kSqlite{
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
};
const MigrationsSql kMysql{
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name VARCHAR(128) NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB",
};

const Stmt<> kApplied = "SELECT name FROM schema_migrations";
const Stmt<std::string, int64_t> kRecord =
    "INSERT INTO schema_migrations(name, applied_at) VALUES(?, ?)";

}  // namespace

MigrationReport migrate(Db& db) {
  const MigrationsSql& sql = db.dialect().pick(kSqlite, kMysql);
  MigrationReport report;
  db.exclusive("wxbridge.migrate", [&](Session& s) {
    report = {};
    s.executeScript(sql.createTable);
    const auto done = s.query<std::string>(kApplied);
    const std::set<std::string> applied(done.begin(), done.end());
    for (const auto& m : migrationsFor(db.dialect().name())) {
      if (applied.count(m.name)) {
        report.already.push_back(m.name);
        continue;
      }
      for (const auto& statement : splitStatements(m.sql)) s.executeScript(statement);
      s.exec(kRecord, std::string(m.name), db.clock().nowMs());
      report.applied.push_back(m.name);
    }
  });
  return report;
}

}  // namespace wxb
