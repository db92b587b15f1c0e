// SqliteDb: the runner (store/db/db.h) over the one Poco::Data SQLite session of the embedded,
// single-instance backend. A mutex serialises its use (SQLite has one writer anyway); a
// transaction is BEGIN IMMEDIATE ... COMMIT, so a claim or a read-modify-write holds the write
// lock from its first statement. WAL and a 10 s busy timeout let a CLI command share the file
// with a running `serve`; a transaction still refused as busy is retried by the runner. A
// database that cannot take writes (read-only, unreadable, disk full) throws StoreUnavailable.
// Thread-safe.
#pragma once

#include <Poco/Data/Session.h>

#include <mutex>
#include <string>

#include "store/db/db.h"

namespace wxb {

class SqliteDb final : public Db {
 public:
  // `path` is a file (its folder is created) or ":memory:". Throws StoreConfigError (store.url)
  // at once when SQLite cannot open it, StoreUnavailable when it stays locked.
  SqliteDb(const std::string& path, const Clock& clock);

  void exclusive(const std::string& name, const std::function<void(Session&)>& fn) override;

 protected:
  void runOnce(Unit unit, const std::function<void(Session&)>& fn) override;

 private:
  std::mutex mutex_;
  Poco::Data::Session session_;
};

}  // namespace wxb
