// Db: the statement runner every store concern is written over, once for both databases. A
// concern names a statement (store/db/statement.h) and passes typed arguments -
// `db.exec(sql.markFailed, errcode, error, nowMs, id, owner)`, `db.query<Account>(sql.byId, id)`
// - and reads rows through the one RowReader of the row type (store/db/row.h). Several statements
// on one connection run in session() or, atomically, in transaction(), each a call that takes a
// function. Two adapters implement it: SqliteDb (store/db/sqlite_db.h, the Poco::Data session of
// the embedded backend) and MysqlDb (store/db/mysql_db.h, a Connector/C++ pool with a prepared
// statement cache per connection and one reconnect after a lost connection).
//
// What every statement gets, on both backends: a unit of work (a session, a transaction, or a
// one-statement call) that loses a lock race (MySQL deadlock 1213 or lock wait timeout 1205,
// SQLite busy) is run again after a short random pause, up to kLockTries times; text parameters are
// cut by characters to their column (Text<N>); and clock() stamps what the store records on its
// own. A unit of work may therefore run more than once: it must be a transaction or idempotent
// statements.
//
// Thread-safe. Throws StoreUnavailable when the database cannot be reached, StoreError for
// anything else (store/store_error.h); DuplicateKey for a unique key violation a caller may
// handle inside its transaction.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "cron/clock.h"
#include "store/db/dialect.h"
#include "store/db/row.h"
#include "store/db/statement.h"
#include "store/store_error.h"

namespace wxb {

// The database chose this unit of work to lose a lock race; the runner runs it again.
class LockConflict : public StoreError {
 public:
  using StoreError::StoreError;
};

// A statement broke a unique key; the statement (not the transaction) was rolled back.
class DuplicateKey : public StoreError {
 public:
  using StoreError::StoreError;
};

// One connection for the length of a unit of work. Used by one thread.
class Session {
 public:
  virtual ~Session() = default;

  // Runs a statement; returns the rows it changed (MySQL: changed, not merely matched).
  virtual int64_t execute(const std::string& sql, const Params& params) = 0;
  // Runs a query, calling onRow for each row in order.
  virtual void select(const std::string& sql, const Params& params,
                      const std::function<void(const Row&)>& onRow) = 0;
  // Runs SQL without parameters and without preparing it (the DDL of migrations).
  virtual void executeScript(const std::string& sql) = 0;

  template <typename... P, typename... A>
  int64_t exec(const Stmt<P...>& st, const A&... args) {
    return execute(st.sql, paramsOf<P...>(args...));
  }

  template <typename T, typename... P, typename... A>
  std::vector<T> query(const Stmt<P...>& st, const A&... args) {
    return rows<T>(st.sql, paramsOf<P...>(args...));
  }

  // The first row, or nullopt when there is none.
  template <typename T, typename... P, typename... A>
  std::optional<T> queryOne(const Stmt<P...>& st, const A&... args) {
    std::optional<T> first;
    select(st.sql, paramsOf<P...>(args...), [&](const Row& row) {
      if (!first) first = RowReader<T>::read(row);
    });
    return first;
  }

  template <typename T>
  std::vector<T> rows(const std::string& sql, const Params& params) {
    std::vector<T> out;
    select(sql, params, [&](const Row& row) { out.push_back(RowReader<T>::read(row)); });
    return out;
  }

  // Multi-row INSERTs of `rows`, in pieces whose lengths are powers of two (500 rows: 256,
  // 128, 64, 32, 16, 4), so that a few statement texts - and prepared statements, cached per
  // MariaDB connection - serve any number of rows; one per length cached a statement for every
  // page length a reminder pass or digest page happened to have, and serve's memory grew with
  // them. rowArgs(row) gives one row's arguments as a tuple (std::tie), bound as P... . Returns
  // the rows changed, summed. Callers run it inside a transaction, so the pieces stand or fall
  // together - unless the caller catches a piece's error and goes on: only the failing piece
  // was rolled back, the earlier ones stay applied, so a caller that writes the rows again
  // (Accounts::upsertChunk after a duplicate key) needs an idempotent statement.
  template <typename... P, typename R, typename RowArgs>
  int64_t insertRows(const RowsStmt<P...>& st, std::span<const R> rows, RowArgs&& rowArgs) {
    int64_t changed = 0;
    while (!rows.empty()) {
      auto piece = rows.first(std::bit_floor(rows.size()));
      std::string sql = st.head;
      Params params;
      for (size_t i = 0; i < piece.size(); ++i) {
        sql += i ? ", " : " ";
        sql += st.row;
        std::apply([&](const auto&... args) { params.bindAll<P...>(args...); }, rowArgs(piece[i]));
      }
      changed += execute(sql + st.tail, params);
      rows = rows.subspan(piece.size());
    }
    return changed;
  }

  // A statement with an IN list of exactly `length` entries: `list` (1 to `length` entries)
  // padded by repeating its last entry, so that a few lengths (and prepared statements) serve
  // any list. The head's parameters come first. Throws std::logic_error for an empty list or
  // one longer than `length`.
  template <typename T, typename L, typename... P, typename V, typename... A>
  std::vector<T> queryIn(const InStmt<L, P...>& st, std::span<const V> list, size_t length,
                         const A&... headArgs) {
    return rows<T>(inSql(st, length), inParams<L, P...>(list, length, headArgs...));
  }
  template <typename L, typename... P, typename V, typename... A>
  int64_t execIn(const InStmt<L, P...>& st, std::span<const V> list, size_t length,
                 const A&... headArgs) {
    return execute(inSql(st, length), inParams<L, P...>(list, length, headArgs...));
  }

 private:
  template <typename L, typename... P>
  static std::string inSql(const InStmt<L, P...>& st, size_t length) {
    return st.head + placeholders(length) + st.tail;
  }
  // Throws std::logic_error when `list` is empty or longer than `length` (its tail would be
  // skipped without a word).
  template <typename L, typename... P, typename V, typename... A>
  static Params inParams(std::span<const V> list, size_t length, const A&... headArgs) {
    if (list.empty() || list.size() > length) {
      throw std::logic_error("IN list of " + std::to_string(list.size()) +
                             " entries for a length of " + std::to_string(length));
    }
    Params params = paramsOf<P...>(headArgs...);
    for (size_t i = 0; i < length; ++i) params.bind<L>(list[std::min(i, list.size() - 1)]);
    return params;
  }
};

// The IN-list length for n entries: the next power of two, at most `most`.
inline size_t inListLength(size_t n, size_t most) { return std::min(std::bit_ceil(n), most); }

// Sleeps before the next try of a unit of work that lost a lock race (attempt: the tries so far,
// 1-based): a random 1 ms to 2^attempt ms (at most 64 ms), so that the units that deadlocked do
// not meet again at once - with no pause, four processes creating one user's schedules kept
// deadlocking until they ran out of tries. Thread-safe.
void pauseBeforeLockRetry(int attempt);

class Db {
 public:
  static constexpr int kLockTries = 8;

  Db(Dialect dialect, const Clock& clock) : dialect_(dialect), clock_(clock) {}
  virtual ~Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  const Dialect& dialect() const { return dialect_; }
  // The source of every time the store stamps on its own.
  const Clock& clock() const { return clock_; }

  // Runs fn(Session&) on one connection, each statement committed on its own.
  template <typename Fn>
  auto session(Fn&& fn) {
    return run(Unit::Session, fn);
  }
  // Runs fn(Session&) in a transaction: committed when fn returns, rolled back when it throws.
  template <typename Fn>
  auto transaction(Fn&& fn) {
    return run(Unit::Transaction, fn);
  }
  // transaction() at READ COMMITTED on MySQL: each statement reads what was committed when it
  // started, and locking statements lock the rows they match, without the gaps between them
  // (REPEATABLE READ, the default, locks the gaps it scans too: a concurrent insert into them
  // waits). For transactions whose correctness rests on row locks alone, each caller says why
  // (store/notices/notices.cpp). SQLite: transaction() (one writer at a time).
  template <typename Fn>
  auto readCommittedTransaction(Fn&& fn) {
    return run(Unit::ReadCommitted, fn);
  }
  // Runs fn(Session&) holding the database-wide lock `name` (a named lock on MySQL, whose DDL
  // is not transactional; one write transaction on SQLite), for migrations.
  virtual void exclusive(const std::string& name, const std::function<void(Session&)>& fn) = 0;

  template <typename... P, typename... A>
  int64_t exec(const Stmt<P...>& st, const A&... args) {
    return session([&](Session& s) { return s.exec(st, args...); });
  }
  template <typename T, typename... P, typename... A>
  std::vector<T> query(const Stmt<P...>& st, const A&... args) {
    return session([&](Session& s) { return s.template query<T>(st, args...); });
  }
  template <typename T, typename... P, typename... A>
  std::optional<T> queryOne(const Stmt<P...>& st, const A&... args) {
    return session([&](Session& s) { return s.template queryOne<T>(st, args...); });
  }

 protected:
  // How a unit of work runs: each statement committed on its own, or one transaction at the
  // database's default isolation or at READ COMMITTED.
  enum class Unit { Session, Transaction, ReadCommitted };
  // Runs fn once on one connection, as `unit` says. Throws LockConflict, DuplicateKey,
  // StoreUnavailable or StoreError.
  virtual void runOnce(Unit unit, const std::function<void(Session&)>& fn) = 0;

 private:
  template <typename Fn>
  auto run(Unit unit, Fn& fn) -> std::invoke_result_t<Fn&, Session&>;

  const Dialect dialect_;
  const Clock& clock_;
};

template <typename Fn>
auto Db::run(Unit unit, Fn& fn) -> std::invoke_result_t<Fn&, Session&> {
  using Result = std::invoke_result_t<Fn&, Session&>;
  for (int attempt = 1;; ++attempt) {
    try {
      if constexpr (std::is_void_v<Result>) {
        runOnce(unit, [&](Session& s) { fn(s); });
        return;
      } else {
        std::optional<Result> result;
        runOnce(unit, [&](Session& s) { result.emplace(fn(s)); });
        return std::move(*result);
      }
    } catch (const LockConflict&) {
      if (attempt >= kLockTries) throw;
      pauseBeforeLockRetry(attempt);
    }
  }
}

}  // namespace wxb
