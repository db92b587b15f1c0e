// Notifications: digest runs, send pauses and the retention purge
// (store/notifications/notifications.h).
#include <utility>

#include "store/db/db.h"
#include "store/db/purge_chunk.h"
#include "store/notifications/notifications.h"
#include "store/notifications/notify_rows.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

namespace {

#define WXB_RUN_COLUMNS                                                                     \
  "SELECT id, run_key, enqueued, started_at, finished_at, accounts, messages, skipped FROM" \
  " digest_runs "
const Stmt<std::string> kRunByKey = WXB_RUN_COLUMNS "WHERE run_key = ?";
const Stmt<> kLatestRun = WXB_RUN_COLUMNS "ORDER BY id DESC LIMIT 1";
#undef WXB_RUN_COLUMNS
// A run's messages are the key range "digest:<id>:" .. "digest:<id>;" (';' follows ':'), so
// the unique key index finds them without an index of its own.
const Stmt<int64_t, int64_t, int64_t, std::string, std::string, int64_t> kFinishRun =
    "UPDATE digest_runs SET enqueued = 1, finished_at = ?, accounts = ?, skipped = ?,"
    " messages = (SELECT COUNT(*) FROM outbox WHERE idempotency_key > ?"
    " AND idempotency_key < ?) WHERE id = ?";
const Stmt<std::string, std::string> kOpenOfRun =
    "SELECT COUNT(*) FROM outbox WHERE idempotency_key > ? AND idempotency_key < ?"
    " AND (state IN ('pending', 'sending') OR (state = 'unknown' AND due_at IS NOT NULL))";

const Stmt<std::string, int64_t> kPausedUntil =
    "SELECT until_at FROM send_pauses WHERE api = ? AND until_at > ?";

// Retention (store/db/purge_chunk.h): the rows are final and never change again.
// Outbox rows that never change again, last updated before the cutoff: sent, failed,
// no_channel, and unknown rows past resending. A due time marks a row still to be sent (sent and
// failed rows never have one), so the state list alone leaves the index ix_outbox_state_updated a
// range.
const Stmt<int64_t, int> kOldFinalMessageIds =
    "SELECT id FROM outbox WHERE state IN ('sent', 'failed', 'unknown', 'no_channel')"
    " AND due_at IS NULL"
    " AND updated_at < ? LIMIT ?";
const Stmt<int64_t> kDeleteMessage = "DELETE FROM outbox WHERE id = ?";
// Events read before the cutoff (read_at 0 is unread), through ix_events_unread.
const Stmt<int64_t, int> kOldReadEventIds =
    "SELECT id FROM events WHERE read_at > 0 AND read_at < ? LIMIT ?";
const Stmt<int64_t> kDeleteEvent = "DELETE FROM events WHERE id = ?";

}  // namespace

template <>
struct RowReader<DigestRun> {
  static DigestRun read(const Row& r) {
    DigestRun run;
    run.id = r.int64(0);
    run.runKey = r.text(1);
    run.enqueued = r.boolean(2);
    run.startedAtMs = r.int64(3);
    run.finishedAtMs = r.int64(4);
    run.accounts = r.int64(5);
    run.messages = r.int64(6);
    run.skipped = r.int64(7);
    return run;
  }
};

void Notifications::pauseSends(const std::string& api, int64_t untilMs, const std::string& reason,
                               int64_t nowMs) {
  db_.exec(sql_.pause, api, untilMs, reason, nowMs);
}

std::optional<int64_t> Notifications::sendsPausedUntil(const std::string& api,
                                                       int64_t endedAfterMs) {
  return db_.queryOne<int64_t>(kPausedUntil, api, endedAfterMs);
}

DigestRun Notifications::openDigestRun(const std::string& runKey, int64_t nowMs) {
  // A transaction: run again after a lost lock race, `created` still tells what this call did.
  return db_.transaction([&](Session& s) {
    const bool created = s.exec(sql_.openRun, runKey, nowMs) == 1;
    auto run = s.queryOne<DigestRun>(kRunByKey, runKey);
    if (!run) throw StoreError("digest run " + runKey + " vanished after insert");
    run->created = created;
    return *run;
  });
}

std::optional<DigestRun> Notifications::latestDigestRun() {
  return db_.queryOne<DigestRun>(kLatestRun);
}

void Notifications::finishDigestRun(int64_t id, int64_t accounts, int64_t skipped, int64_t nowMs) {
  auto [from, to] = digestKeyRange(id);
  db_.exec(kFinishRun, nowMs, accounts, skipped, from, to, id);
}

int64_t Notifications::openMessagesOfRun(int64_t id) {
  auto [from, to] = digestKeyRange(id);
  return db_.queryOne<int64_t>(kOpenOfRun, from, to).value_or(0);
}

PurgeCounts Notifications::purgeBefore(int64_t cutoffMs, int maxRows) {
  PurgeCounts purged;
  purged.messages = purgeChunk(db_, kOldFinalMessageIds, kDeleteMessage, cutoffMs, maxRows);
  purged.events = purgeChunk(db_, kOldReadEventIds, kDeleteEvent, cutoffMs, maxRows);
  return purged;
}

}  // namespace wxb
