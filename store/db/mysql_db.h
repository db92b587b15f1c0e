// MysqlDb: the runner (store/db/db.h) over MySQL/MariaDB (or a MySQL-compatible distributed
// database) through a MysqlPool (store/db/mysql_pool.h): each unit of work borrows one pooled
// connection, whose prepared statements are cached (so padded IN lists and fixed-size batches
// are prepared once per connection), and runs again once on a fresh connection when the server
// went away. Cross-instance guarantees come from the statements themselves (conditional
// upserts, row locks, SKIP LOCKED claims) and GET_LOCK for migrations. Thread-safe.
#pragma once

#include "store/db/db.h"
#include "store/db/mysql_pool.h"
#include "store/store_settings.h"

namespace wxb {

class MysqlDb final : public Db {
 public:
  // Connects once (throws StoreUnavailable when the server cannot be reached) and checks the
  // server's binary log: StoreConfigError (key store.url) when log_bin is ON with
  // binlog_format=STATEMENT, which refuses writes at READ COMMITTED (docs/deployment.md).
  MysqlDb(const StoreSettings& settings, const Clock& clock);

  // GET_LOCK(name), waiting up to 120 s (StoreError after that).
  void exclusive(const std::string& name, const std::function<void(Session&)>& fn) override;

 protected:
  void runOnce(Unit unit, const std::function<void(Session&)>& fn) override;

 private:
  MysqlPool pool_;
};

}  // namespace wxb
