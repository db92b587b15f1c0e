// SqliteDb: the one SQLite connection of a process, shared by SqliteStore and its per-concern
// parts (sync runs, notifications). A mutex serialises its use (SQLite serialises writers
// anyway); locked() and transaction() turn Poco::Data errors into StoreError. WAL and a busy
// timeout let a CLI command share the file with a running `serve`. Thread-safe.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <mutex>
#include <string>
#include <type_traits>

#include "store/store_error.h"

namespace wxb {

class SqliteDb {
 public:
  // `path` is a file (its folder is created) or ":memory:". Throws StoreUnavailable.
  explicit SqliteDb(const std::string& path);

  // Runs fn(session) holding the mutex.
  template <typename Fn>
  auto locked(Fn&& fn) {
    std::lock_guard lock(mutex_);
    try {
      return fn(session_);
    } catch (const Poco::Exception& e) {
      throw StoreError("SQLite: " + e.displayText());
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

  std::mutex mutex_;
  Poco::Data::Session session_;
};

}  // namespace wxb
