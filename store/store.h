// Store: everything wxbridge keeps, split by concern - accounts, leases, tokens, follower sync
// runs, notifications, the subscribe-message grant ledger, real-time notices and preferences,
// the scheduler's fire log, user-set reminders and the event push's records - over one statement
// runner (store/db/db.h) on SQLite
// (Poco::Data) for a single instance or MySQL/MariaDB (Connector/C++) for several instances
// sharing state. Open one with openStore() (store/open_store.h); the wiring code hands each
// component only the concerns it uses, as references that live as long as the Store.
// docs/store.md explains the layers.
//
// Every method is thread-safe. Expected outcomes (not found, lost a race) are return values; a
// store that cannot be reached throws StoreUnavailable, anything else unexpected throws
// StoreError (store/store_error.h).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/accounts/accounts.h"
#include "store/callback/callback_store.h"
#include "store/fire_log/fire_log.h"
#include "store/leases/leases.h"
#include "store/migrations/migrate.h"
#include "store/notices/notices.h"
#include "store/notifications/notifications.h"
#include "store/schedules/schedules.h"
#include "store/store_error.h"
#include "store/subscriptions/subscriptions.h"
#include "store/sync_runs/sync_runs.h"
#include "store/tokens/tokens.h"

namespace wxb {

class Db;

class Store {
 public:
  // Takes the runner openStore() made.
  explicit Store(std::unique_ptr<Db> db);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // "sqlite" or "mysql": the schema/ folder this store's migrations come from.
  std::string dialect() const;

  // Applies pending migrations in order under a database-wide lock, so two instances starting
  // at once apply each migration exactly once. Throws StoreError when a migration fails.
  MigrationReport migrate();

  // Why the store cannot serve requests now, or nullopt when it can; /readyz and serve's start
  // ask. A round trip with a write that changes nothing, so a store that answers but cannot
  // take writes (read-only file or server, no write privilege) is not ready. Never throws.
  std::optional<std::string> whyNotReady();

  Accounts& accounts() { return accounts_; }
  Leases& leases() { return leases_; }
  Tokens& tokens() { return tokens_; }
  SyncRuns& syncRuns() { return syncRuns_; }
  Notifications& notifications() { return notifications_; }
  // The grant ledger of subscribe messages (mp_subscribe, oa_subscribe).
  Subscriptions& subscriptions() { return subscriptions_; }
  // Real-time notice windows and per-user preferences.
  Notices& notices() { return notices_; }
  // The last fire time of each cron job, shared by all instances (the scheduler's misfire policy).
  FireLog& fireLog() { return fireLog_; }
  // User-set reminders and the claim that fires them (docs/schedules.md).
  Schedules& schedules() { return schedules_; }
  // The event push: dedup records, the job queue, bind codes, receipts (issue #13).
  CallbackStore& callback() { return callback_; }

 private:
  std::unique_ptr<Db> db_;
  Accounts accounts_{*db_};
  Leases leases_{*db_};
  Tokens tokens_{*db_};
  SyncRuns syncRuns_{*db_};
  Notifications notifications_{*db_};
  Subscriptions subscriptions_{*db_};
  Notices notices_{*db_};
  StoreFireLog fireLog_{*db_};
  Schedules schedules_{*db_};
  CallbackStore callback_{*db_, accounts_, subscriptions_};
};

}  // namespace wxb
