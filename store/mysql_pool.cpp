#include "store/mysql_pool.h"

#include <Poco/Logger.h>
#include <cppconn/exception.h>
#include <mysql_driver.h>

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.store"); }

}  // namespace

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

sql::PreparedStatement& MysqlConn::prepare(const std::string& statement) {
  auto& slot = statements_[statement];
  if (!slot) slot.reset(conn_->prepareStatement(statement));
  slot->clearParameters();
  return *slot;
}

void MysqlConn::transaction(const std::function<void()>& fn) {
  conn_->setAutoCommit(false);
  try {
    fn();
    conn_->commit();
  } catch (...) {
    try {
      conn_->rollback();
      conn_->setAutoCommit(true);
    } catch (const sql::SQLException&) {
      // The connection is gone; the pool discards it when the original error reaches run().
    }
    throw;
  }
  conn_->setAutoCommit(true);
}

MysqlPool::MysqlPool(const StoreSettings& settings) : settings_(settings) {
  // Fail fast: an unreachable server is reported at start, not at first use.
  idle_.push_back(connect());
  open_ = 1;
}

MysqlPool::~MysqlPool() = default;

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

void MysqlPool::rethrow(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const sql::SQLException& e) {
    std::string what = std::string("MySQL error ") + std::to_string(e.getErrorCode()) + " (" +
                       e.getSQLState() + "): " + e.what();
    if (isConnectionLost(e.getErrorCode())) throw StoreUnavailable(what);
    if (isWriteRefused(e.getErrorCode())) throw StoreUnavailable("cannot take writes: " + what);
    throw StoreError(what);
  }
}

}  // namespace wxb
