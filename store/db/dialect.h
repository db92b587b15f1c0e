// Dialect: what differs between the two databases, in one small value. The SQL that differs
// (upsert syntax, INSERT IGNORE, claims with FOR UPDATE SKIP LOCKED against SQLite's one writer,
// the last insert id) is in per-dialect statement tables that each concern keeps, one struct per
// dialect, picked with pick(); the shapes that differ by a count (multi-row inserts, IN lists)
// are expanded by the runner the same way on both (store/db/db.h). Thread-safe (immutable).
#pragma once

#include <string_view>

namespace wxb {

class Dialect {
 public:
  enum class Kind { Sqlite, Mysql };

  explicit constexpr Dialect(Kind kind) : kind_(kind) {}

  Kind kind() const { return kind_; }
  // "sqlite" or "mysql": the schema/ folder of this dialect's migrations.
  std::string_view name() const { return kind_ == Kind::Sqlite ? "sqlite" : "mysql"; }

  // This dialect's entry of a per-dialect table.
  template <typename T>
  const T& pick(const T& sqlite, const T& mysql) const {
    return kind_ == Kind::Sqlite ? sqlite : mysql;
  }

 private:
  Kind kind_;
};

}  // namespace wxb
