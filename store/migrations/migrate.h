// migrate: applies the pending migrations of the store's dialect (store/migrations/migrations.h)
// in order, under the database-wide lock "wxbridge.migrate" (Db::exclusive), so two instances
// starting at once apply each migration exactly once. Called through Store::migrate().
#pragma once

#include <string>
#include <vector>

namespace wxb {

class Db;

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call, in order
  std::vector<std::string> already;  // names that were applied before
};

// Records each applied migration with the time of db.clock(). Throws StoreError when a
// migration fails (those before it stay applied).
MigrationReport migrate(Db& db);

}  // namespace wxb
