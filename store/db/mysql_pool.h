// MysqlPool: a bounded pool of MySQL Connector/C++ connections, each with a cache of prepared
// statements. run() lends one connection to a function; when the server went away (restart,
// network cut, idle kill) it drops every idle connection, reconnects and runs the function once
// more, so callers survive a MariaDB restart without noticing - except when the connection was
// lost during a COMMIT: that one may have committed, so it is not run again and the caller gets
// CommitUnacknowledged (a 503, or a job's next pass; docs/store.md "Commits"). Used by MysqlDb
// (store/db/mysql_db.h). Errors leave as the store's exceptions (throwStoreError). Thread-safe.
#pragma once

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>

#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store_error.h"
#include "store/store_settings.h"

namespace wxb {

// One pooled connection and its prepared statements: prepared on first use and kept for the
// next, the kStatementCacheSize most recently used of them (docs/store.md "Prepared
// statements"); the least recently used one is closed on the server when another would pass the
// bound, so neither serve's memory nor the server's prepared statements grow with every
// statement text a long-running process ever ran. Its autocommit mode is switched only when the
// kind of work changes: a transaction leaves it off after COMMIT (no transaction stays open -
// the next statement starts one), so back-to-back transactions cost one round trip (COMMIT)
// beyond their statements instead of three, and the next unit of work outside a transaction
// turns it back on first.
class MysqlConn {
 public:
  static constexpr size_t kStatementCacheSize = 128;

  explicit MysqlConn(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}
  // The cached statement for `statement` (prepared now when not cached), its parameters
  // cleared; valid until kStatementCacheSize other statements were prepared after it.
  sql::PreparedStatement& prepare(const std::string& statement);
  sql::Connection& raw() { return *conn_; }
  // Runs `fn` in a transaction: commit on return, rollback on exception (rethrown). At READ
  // COMMITTED when `readCommitted`, else at the server's default (REPEATABLE READ); the
  // session's level is set only when it changes. Throws CommitUnacknowledged when the COMMIT
  // got no answer (the connection was lost): the work may or may not have been committed.
  void transaction(const std::function<void()>& fn, bool readCommitted = false);
  // Runs `fn` with autocommit on: each statement its own transaction, at the server's default
  // level (REPEATABLE READ) whatever the connection ran before.
  void autocommitted(const std::function<void()>& fn);

 private:
  void setAutocommit(bool on);
  void setReadCommitted(bool on);
  void commit();
  void rollbackQuietly();  // a lost connection's error is ignored: the server rolls back anyway
  // Runs one statement without a result. Connector/C++ 1.1's own commit(), rollback(),
  // setAutoCommit() and setTransactionIsolation() drop the server's answer, so a COMMIT that
  // failed looked done (docs/store.md "Commits"): this throws sql::SQLException instead.
  void execute(const char* statement);

  std::unique_ptr<sql::Connection> conn_;
  bool autocommit_ = true;      // the server's mode for this connection (a new one starts on)
  bool readCommitted_ = false;  // the session's isolation level (a new one: the default)
  struct Cached {
    std::string sql;
    std::unique_ptr<sql::PreparedStatement> statement;
  };
  std::list<Cached> statements_;  // the most recently used first
  std::unordered_map<std::string_view, std::list<Cached>::iterator> bySql_;  // keys: their sql
};

// A COMMIT whose answer never came (the connection was lost while it ran): the transaction may
// or may not have been committed. MysqlPool::run does not run such work again (a second run
// could apply it twice); the caller sees it as StoreUnavailable, like any lost connection, and
// retries at its own level with its own idempotency (an HTTP client's 503, a job's next pass).
class CommitUnacknowledged : public StoreUnavailable {
 public:
  using StoreUnavailable::StoreUnavailable;
};

// Throws the store's exception for a MySQL error: StoreUnavailable when the connection is gone
// (2006, 2013 ...), LockConflict for a deadlock (1213) or lock wait timeout (1205),
// DuplicateKey for 1062, StoreError otherwise. The message has the code and the server's text.
[[noreturn]] void throwStoreError(const sql::SQLException& e);

class MysqlPool {
 public:
  explicit MysqlPool(const StoreSettings& settings);
  ~MysqlPool();

  // Runs fn(MysqlConn&) on a pooled connection, again once on a fresh connection when the
  // server went away - unless it went away during a COMMIT (CommitUnacknowledged, rethrown).
  // fn must be safe to run twice (a transaction or idempotent statements). An autocommitted
  // UPDATE whose answer was lost may have been applied: its repeat changes nothing and reports 0
  // rows (MySQL counts changed rows), so a caller that reads 0 as "the claim is lost" must check
  // the row (Notifications::markCallStarted does; the others fail safe: the claim expires).
  void run(const std::function<void(MysqlConn&)>& fn);

 private:
  std::unique_ptr<MysqlConn> take();
  void give(std::unique_ptr<MysqlConn> conn);
  void discard(std::unique_ptr<MysqlConn> conn);
  std::unique_ptr<MysqlConn> connect();

  StoreSettings settings_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<MysqlConn>> idle_;
  int open_ = 0;
};

}  // namespace wxb
