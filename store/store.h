// Store: everything wxbridge keeps, split by concern - accounts, leases, tokens, follower sync
// runs, notifications and the scheduler's fire log - over one database, SQLite (Poco::Data) for
// a single instance or MySQL/MariaDB (Connector/C++) for several instances sharing state. Open
// one with openStore() (store/open_store.h); the wiring code hands each component only the
// concerns it uses, as references that live as long as the Store.
//
// Every method is thread-safe. Expected outcomes (not found, lost a race) are return values; a
// store that cannot be reached throws StoreUnavailable, anything else unexpected throws
// StoreError (store/store_error.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/store_error.h"

namespace wxb {

class Accounts;       // store/accounts/accounts.h
class Leases;         // store/leases/leases.h
class Tokens;         // store/tokens/tokens.h
class SyncRuns;       // store/sync_runs/sync_runs.h
class Notifications;  // store/notifications/notifications.h
class FireLog;        // cron/scheduler.h
class LegacyBackend;

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call, in order
  std::vector<std::string> already;  // names that were applied before
};

class Store {
 public:
  explicit Store(std::unique_ptr<LegacyBackend> backend);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // "sqlite" or "mysql": the schema/ folder this store's migrations come from.
  std::string dialect() const;

  // Applies pending migrations in order under a database-wide lock, so two instances starting
  // at once apply each migration exactly once. Throws StoreError when a migration fails.
  MigrationReport migrate();

  // Cheap round trip for /readyz. Returns false (never throws) when the store is unreachable.
  bool ping();

  Accounts& accounts();
  Leases& leases();
  Tokens& tokens();
  SyncRuns& syncRuns();
  Notifications& notifications();
  // The last fire time of each cron job, shared by all instances (the scheduler's misfire policy).
  FireLog& fireLog();

 private:
  std::unique_ptr<LegacyBackend> backend_;
};

}  // namespace wxb
