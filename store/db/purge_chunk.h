// purgeChunk: one bounded step of a retention purge, shared by the concerns that purge (the
// notifications, the callback store). Rows are found by a plain (non-locking) read, then
// deleted by primary key, so only they are locked, never a range new rows go into. Internal to
// store/. Thread-safe as Db is.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

#include "store/db/db.h"

namespace wxb {

// Deletes at most maxRows rows whose keys `find` (cutoff, limit) returns; `remove` deletes by
// key. The DELETE always has maxRows keys (a repeated key deletes nothing more), so a
// connection prepares it once. Returns the rows deleted.
template <typename Key>
int64_t purgeChunk(Db& db, const Stmt<int64_t, int>& find, const InStmt<Key>& remove,
                   int64_t cutoffMs, int maxRows) {
  return db.session([&](Session& s) -> int64_t {
    auto keys = s.query<Key>(find, cutoffMs, maxRows);
    if (keys.empty()) return 0;
    return s.execIn(remove, std::span(std::as_const(keys)), static_cast<size_t>(maxRows));
  });
}

}  // namespace wxb
