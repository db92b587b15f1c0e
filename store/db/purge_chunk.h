// purgeChunk: one bounded step of a retention purge, shared by the concerns that purge (the
// notifications, the callback store, subscription reports). Rows are found by a plain
// (non-locking) read, then deleted one by one by primary key, so only they are locked, never a
// range new rows go into. Internal to
// store/. Thread-safe as Db is.
#pragma once

#include <cstdint>

#include "store/db/db.h"

namespace wxb {

// Deletes at most maxRows rows whose keys `find` (cutoff, limit) returns, one `remove` (a DELETE
// by the primary key, `... WHERE key = ?`) per row, all in one transaction. Row by row, not
// through an IN list: MariaDB 10.11 plans `DELETE ... WHERE id IN (16 ids)` on a 20-row table as
// a scan of the whole table (as the UPDATEs of docs/notify.md "Locks"), and takes no index
// hint on a single-table DELETE (a multi-table DELETE ignores FORCE INDEX: EXPLAIN type ALL);
// such a scan locks every row it passes and waits for every uncommitted insert it meets. An
// equality on the primary key locks the one row. Returns the rows deleted.
template <typename Key>
int64_t purgeChunk(Db& db, const Stmt<int64_t, int>& find, const Stmt<Key>& remove,
                   int64_t cutoffMs, int maxRows) {
  return db.transaction([&](Session& s) -> int64_t {
    int64_t deleted = 0;
    for (const auto& key : s.query<Key>(find, cutoffMs, maxRows)) deleted += s.exec(remove, key);
    return deleted;
  });
}

}  // namespace wxb
