// SqliteDb: the one SQLite connection of a process, shared by SqliteStore and its per-concern
// parts (sync runs, notifications). A mutex serialises its use (SQLite serialises writers
// anyway); locked() and transaction() turn Poco::Data errors into StoreError. WAL and a busy
// timeout let a CLI command share the file with a running `serve`. A path that cannot hold a
// database fails at once with StoreConfigError naming store.url. Thread-safe.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <mutex>
#include <string>
#include <type_traits>

#include "store/store.h"

namespace wxb {

class SqliteDb {
 public:
  // `path` is a file (its folder is created) or ":memory:". Throws StoreConfigError at once
  // when the path cannot hold a database (sqlitePathProblem), StoreUnavailable when the file
  // stays locked.
  explicit SqliteDb(const std::string& path);

  // Runs fn(session) holding the mutex. A database that cannot take writes now (read-only,
  // locked past the busy timeout, unreadable, disk full) throws StoreUnavailable; any other
  // failure StoreError.
  template <typename Fn>
  auto locked(Fn&& fn) {
    std::lock_guard lock(mutex_);
    try {
      return fn(session_);
    } catch (const Poco::Exception& e) {
      throwStoreError(e);
    }
  }

  // Runs fn(session) inside BEGIN IMMEDIATE ... COMMIT, rolling back on any exception.
  template <typename Fn>
  auto transaction(Fn&& fn) {
    return locked([&](Poco::Data::Session& session) {
      execute("BEGIN IMMEDIATE");
      try {
        if constexpr (std::is_void_v<decltype(fn(session))>) {
          fn(session);
          execute("COMMIT");
        } else {
          auto result = fn(session);
          execute("COMMIT");
          return result;
        }
      } catch (...) {
        execute("ROLLBACK");
        throw;
      }
    });
  }

 private:
  void execute(const char* statement);
  [[noreturn]] static void throwStoreError(const Poco::Exception& e);

  std::mutex mutex_;
  Poco::Data::Session session_;
};

}  // namespace wxb
