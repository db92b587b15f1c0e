#include "store/db/mysql_pool.h"

#include <Poco/Logger.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "store/db/db.h"

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.store"); }

// True for the client errors that mean the connection is gone.
bool isConnectionLost(int code) {
  switch (code) {
    case 1053:  // server shutdown in progress
    case 1927:  // connection killed (MariaDB)
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection at reading initial communication packet
    case 4031:  // disconnected by the server because of inactivity
      return true;
    default:
      return false;
  }
}

// True for the errors that mean the server refuses our writes: a read-only server or
// transaction, or a user without the privilege. The store cannot serve writes now.
bool isWriteRefused(int code) {
  switch (code) {
    case 1142:  // command denied to the user (no write privilege)
    case 1290:  // --read-only / --super-read-only server
    case 1792:  // read-only transaction
    case 1836:  // read-only mode
      return true;
    default:
      return false;
  }
}

}  // namespace

void throwStoreError(const sql::SQLException& e) {
  const int code = e.getErrorCode();
  std::string what =
      "MySQL error " + std::to_string(code) + " (" + e.getSQLState() + "): " + e.what();
  if (isConnectionLost(code)) throw StoreUnavailable(what);
  if (isWriteRefused(code)) throw StoreUnavailable("cannot take writes: " + what);
  if (code == 1213 || code == 1205) throw LockConflict(what);  // deadlock, lock wait timeout
  if (code == 1062) throw DuplicateKey(what);
  throw StoreError(what);
}

sql::PreparedStatement& MysqlConn::prepare(const std::string& statement) {
  if (auto found = bySql_.find(statement); found != bySql_.end()) {
    statements_.splice(statements_.begin(), statements_, found->second);
  } else {
    std::unique_ptr<sql::PreparedStatement> prepared(conn_->prepareStatement(statement));
    statements_.push_front(Cached{statement, std::move(prepared)});
    bySql_.emplace(statements_.front().sql, statements_.begin());
    if (statements_.size() > kStatementCacheSize) {
      bySql_.erase(statements_.back().sql);
      statements_.pop_back();  // closes it on the server
    }
  }
  sql::PreparedStatement& prepared = *statements_.front().statement;
  prepared.clearParameters();
  return prepared;
}

void MysqlConn::execute(const char* statement) {
  std::unique_ptr<sql::Statement> plain(conn_->createStatement());
  plain->execute(statement);
}

void MysqlConn::setAutocommit(bool on) {
  if (autocommit_ == on) return;
  execute(on ? "SET autocommit = 1" : "SET autocommit = 0");
  autocommit_ = on;
}

void MysqlConn::setReadCommitted(bool on) {
  if (readCommitted_ == on) return;
  execute(on ? "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"
             : "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  readCommitted_ = on;
}

void MysqlConn::rollbackQuietly() {
  try {
    execute("ROLLBACK");
  } catch (const sql::SQLException&) {
    // The connection is gone; the pool discards it when the original error reaches run().
  }
}

void MysqlConn::commit() {
  try {
    execute("COMMIT");
  } catch (const sql::SQLException& e) {
    if (!isConnectionLost(e.getErrorCode())) {
      rollbackQuietly();
      throwStoreError(e);
    }
    throw CommitUnacknowledged(
        "COMMIT got no answer, the transaction may or may not be committed: "
        "MySQL error " +
        std::to_string(e.getErrorCode()) + ": " + e.what());
  }
}

void MysqlConn::transaction(const std::function<void()>& fn, bool readCommitted) {
  setAutocommit(false);
  setReadCommitted(readCommitted);
  try {
    fn();
  } catch (...) {
    rollbackQuietly();
    throw;
  }
  commit();
}

void MysqlConn::autocommitted(const std::function<void()>& fn) {
  setAutocommit(true);
  setReadCommitted(false);  // never the level of the connection's last transaction
  fn();
}

MysqlPool::MysqlPool(const StoreSettings& settings) : settings_(settings) {
  // Fail fast: an unreachable server is reported at start, not at first use.
  idle_.push_back(connect());
  open_ = 1;
}

MysqlPool::~MysqlPool() = default;

void MysqlPool::run(const std::function<void(MysqlConn&)>& fn) {
  for (int attempt = 1;; ++attempt) {
    auto conn = take();
    try {
      try {
        fn(*conn);
      } catch (const sql::SQLException& e) {
        throwStoreError(e);
      }
      give(std::move(conn));
      return;
    } catch (const CommitUnacknowledged&) {
      discard(std::move(conn));
      throw;
    } catch (const StoreUnavailable&) {
      discard(std::move(conn));
      if (attempt > 1) throw;
    } catch (...) {
      give(std::move(conn));
      throw;
    }
  }
}

std::unique_ptr<MysqlConn> MysqlPool::connect() {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString(settings_.host);
  options["port"] = settings_.port;
  options["userName"] = sql::SQLString(settings_.user);
  options["password"] = sql::SQLString(settings_.password);
  options["schema"] = sql::SQLString(settings_.database);
  options["OPT_CONNECT_TIMEOUT"] = std::max(1, settings_.connectTimeoutMs / 1000);
  options["OPT_READ_TIMEOUT"] = std::max(1, settings_.readTimeoutMs / 1000);
  options["OPT_WRITE_TIMEOUT"] = std::max(1, settings_.readTimeoutMs / 1000);
  options["OPT_RECONNECT"] = false;
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    std::unique_ptr<sql::Connection> conn(
        sql::mysql::get_mysql_driver_instance()->connect(options));
    return std::make_unique<MysqlConn>(std::move(conn));
  } catch (const sql::SQLException& e) {
    // The message names host and user, never the password.
    throw StoreUnavailable("cannot connect to MySQL at " + settings_.host + ":" +
                           std::to_string(settings_.port) + " as " + settings_.user + ": " +
                           e.what() + " (error " + std::to_string(e.getErrorCode()) + ")");
  }
}

std::unique_ptr<MysqlConn> MysqlPool::take() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < settings_.poolSize; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  try {
    return connect();
  } catch (...) {
    std::lock_guard relock(mutex_);
    --open_;
    available_.notify_one();
    throw;
  }
}

void MysqlPool::give(std::unique_ptr<MysqlConn> conn) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(conn));
  available_.notify_one();
}

void MysqlPool::discard(std::unique_ptr<MysqlConn> conn) {
  std::vector<std::unique_ptr<MysqlConn>> stale;
  {
    std::lock_guard lock(mutex_);
    // When one connection finds the server gone, the idle ones are most likely dead too.
    stale.swap(idle_);
    open_ -= 1 + static_cast<int>(stale.size());
    available_.notify_all();
  }
  logger().warning("MySQL connection lost; dropped %z idle connections, reconnecting",
                   stale.size() + 1);
  conn.reset();
}

}  // namespace wxb
