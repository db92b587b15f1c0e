// MysqlPool: a bounded pool of MySQL Connector/C++ connections, each with a cache of prepared
// statements. run() lends one connection to a function; when the server went away (restart,
// network cut, idle kill) it drops every idle connection, reconnects and runs the function once
// more, so callers survive a MariaDB restart without noticing. A server that cannot be reached
// raises StoreUnavailable; other SQL errors raise StoreError. Thread-safe.
#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_settings.h"

namespace wxb {

// One pooled connection and its prepared statements (prepared once per connection).
class MysqlConn {
 public:
  explicit MysqlConn(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}
  sql::PreparedStatement& prepare(const std::string& statement);
  sql::Connection& raw() { return *conn_; }
  // Runs `fn` in a transaction: commit on return, rollback on exception (rethrown).
  void transaction(const std::function<void()>& fn);

 private:
  std::unique_ptr<sql::Connection> conn_;
  std::map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
};

class MysqlPool {
 public:
  explicit MysqlPool(const StoreSettings& settings);
  ~MysqlPool();

  // Runs fn(MysqlConn&) on a pooled connection, retrying once on a fresh connection when the
  // server went away. fn must be safe to run twice (every store operation is a transaction or
  // a single idempotent statement).
  template <typename Fn>
  auto run(Fn&& fn) -> decltype(fn(std::declval<MysqlConn&>()));

 private:
  std::unique_ptr<MysqlConn> take();
  void give(std::unique_ptr<MysqlConn> conn);
  void discard(std::unique_ptr<MysqlConn> conn);
  std::unique_ptr<MysqlConn> connect();
  [[noreturn]] void rethrow(const std::exception_ptr& error);

  StoreSettings settings_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<MysqlConn>> idle_;
  int open_ = 0;
};

// True for the client errors that mean the connection is gone (2006, 2013 ...).
bool isConnectionLost(int mysqlErrorCode);
// True for the errors that mean the server refuses writes (read-only server or transaction,
// a user without the privilege): StoreUnavailable, as the store cannot serve writes now.
bool isWriteRefused(int mysqlErrorCode);

template <typename Fn>
auto MysqlPool::run(Fn&& fn) -> decltype(fn(std::declval<MysqlConn&>())) {
  for (int attempt = 1;; ++attempt) {
    auto conn = take();
    try {
      if constexpr (std::is_void_v<decltype(fn(*conn))>) {
        fn(*conn);
        give(std::move(conn));
        return;
      } else {
        auto result = fn(*conn);
        give(std::move(conn));
        return result;
      }
    } catch (const sql::SQLException& e) {
      bool lost = isConnectionLost(e.getErrorCode());
      if (lost) {
        discard(std::move(conn));
      } else {
        give(std::move(conn));
      }
      if (lost && attempt == 1) continue;
      rethrow(std::current_exception());
    }
  }
}

}  // namespace wxb
