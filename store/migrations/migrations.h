// Migrations: the versioned schema files of schema/<dialect>/NNN_name.sql, compiled into the
// binary (cmake/embed_schema.cmake) so a deployment needs no files beside it. migrate()
// (store/migrations/migrate.h) applies them; this header only lists and splits them. Thread-safe
// (read-only).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wxb {

struct EmbeddedMigration {
  const char* dialect;  // "sqlite" or "mysql"
  const char* name;     // e.g. "001_foundation"; sorts in application order
  const char* sql;      // one or more statements, each ended by ';' at the end of a line
};

// Every migration of every dialect (generated source).
const std::vector<EmbeddedMigration>& embeddedMigrations();

// The migrations of one dialect, in the order they apply.
std::vector<EmbeddedMigration> migrationsFor(std::string_view dialect);

// Splits a migration into statements at each ';' that ends a line; drops '--' comment lines
// and empty statements. Migrations hold no ';' inside string literals.
std::vector<std::string> splitStatements(std::string_view sql);

}  // namespace wxb
