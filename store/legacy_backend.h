// LegacyBackend: the per-backend store of before the split by concern, implementing every
// concern for one database. Internal to store/; replaced by the statement runner.
#pragma once

#include <string>

#include "cron/scheduler.h"
#include "store/accounts/accounts.h"
#include "store/leases/leases.h"
#include "store/notifications/notifications.h"
#include "store/store.h"
#include "store/sync_runs/sync_runs.h"
#include "store/tokens/tokens.h"

namespace wxb {

class LegacyBackend : public Accounts, public Leases, public Tokens, public FireLog {
 public:
  virtual std::string dialect() const = 0;
  virtual MigrationReport migrate() = 0;
  virtual bool ping() = 0;
  virtual SyncRuns& syncRuns() = 0;
  virtual Notifications& notifications() = 0;
};

}  // namespace wxb
