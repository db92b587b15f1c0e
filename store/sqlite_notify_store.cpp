#include "store/sqlite_notify_store.h"

#include <Poco/Data/Statement.h>

#include "store/notifications/notify_rows.h"
#include "store/sqlite_notify_sql.h"

using namespace Poco::Data::Keywords;
namespace sql = wxb::sqlite_notify_sql;

namespace wxb {

namespace {

// One chunk of a purge statement (kPurgeMessages, kPurgeEvents), in a transaction of its own.
int64_t purgeChunk(SqliteDb& db, const std::string& statement, int64_t cutoffMs, int maxRows) {
  return db.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement remove(session);
    remove << statement, bind(cutoffMs), bind(maxRows);
    return static_cast<int64_t>(remove.execute());
  });
}

}  // namespace

bool SqliteNotifyStore::addEvent(const NotifyEvent& e) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement insert(session);
    insert << sql::kAddEvent, useRef(e.eventId), useRef(e.unionid), useRef(e.type), useRef(e.actor),
        useRef(e.text), bind(e.createdAtMs);
    return insert.execute() == 1;
  });
}

int64_t SqliteNotifyStore::markRead(const std::string& unionid,
                                    const std::vector<std::string>& types, int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    int64_t marked = 0;
    if (types.empty()) {
      Poco::Data::Statement update(session);
      update << sql::kMarkReadAll, bind(nowMs), useRef(unionid);
      return static_cast<int64_t>(update.execute());
    }
    for (const auto& type : types) {
      Poco::Data::Statement update(session);
      update << sql::kMarkReadType, bind(nowMs), useRef(unionid), useRef(type);
      marked += update.execute();
    }
    return marked;
  });
}

std::vector<UnreadSummary> SqliteNotifyStore::unreadRange(Poco::Data::Session& session,
                                                          const std::string& first,
                                                          const std::string& last) {
  std::vector<std::string> unionids, types, actors, texts, openids;
  std::vector<int64_t> counts;
  std::vector<int> subscribed;
  session << sql::kRangeCounts, useRef(first), useRef(last), into(unionids), into(types),
      into(counts), now;
  std::vector<UnreadCountRow> countRows;
  for (size_t i = 0; i < unionids.size(); ++i) {
    countRows.push_back({unionids[i], types[i], counts[i]});
  }
  unionids.clear();
  session << sql::kRangeLatest, useRef(first), useRef(last), into(unionids), into(actors),
      into(texts), into(openids), into(subscribed), now;
  std::vector<UnreadLatestRow> latestRows;
  for (size_t i = 0; i < unionids.size(); ++i) {
    latestRows.push_back({unionids[i], actors[i], texts[i], openids[i], subscribed[i] != 0});
  }
  return assembleUnread(countRows, latestRows);
}

std::optional<UnreadSummary> SqliteNotifyStore::unreadSummary(const std::string& unionid) {
  auto found = db_.locked(
      [&](Poco::Data::Session& session) { return unreadRange(session, unionid, unionid); });
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<UnreadSummary> SqliteNotifyStore::unreadPage(const std::string& afterUnionid,
                                                         int limit) {
  return db_.locked([&](Poco::Data::Session& session) {
    std::vector<std::string> page;
    session << sql::kPageUnionids, useRef(afterUnionid), bind(limit), into(page), now;
    if (page.empty()) return std::vector<UnreadSummary>{};
    return unreadRange(session, page.front(), page.back());
  });
}

bool SqliteNotifyStore::insertMessage(Poco::Data::Session& session, const NewMessage& m,
                                      int64_t nowMs) {
  Poco::Data::Statement insert(session);
  insert << sql::kEnqueue, useRef(m.idempotencyKey), useRef(m.unionid), useRef(m.touser),
      useRef(m.templateName), useRef(m.payload), bind(m.digestRun), bind(nowMs), bind(nowMs),
      bind(nowMs);
  return insert.execute() == 1;
}

EnqueueResult SqliteNotifyStore::enqueue(const NewMessage& message, int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    EnqueueResult result;
    result.created = insertMessage(session, message, nowMs);
    session << sql::kIdByKey, useRef(message.idempotencyKey), into(result.id), now;
    return result;
  });
}

int64_t SqliteNotifyStore::enqueueMany(const std::vector<NewMessage>& messages, int64_t nowMs) {
  if (messages.empty()) return 0;
  return db_.transaction([&](Poco::Data::Session& session) {
    int64_t created = 0;
    for (const auto& m : messages) created += insertMessage(session, m, nowMs) ? 1 : 0;
    return created;
  });
}

std::optional<OutboxMessage> SqliteNotifyStore::selectMessage(Poco::Data::Session& session,
                                                              int64_t id) {
  OutboxMessage m;
  std::string state;
  int64_t due = -1;
  Poco::Data::Statement select(session);
  select << sql::kMessageById, into(m.id), into(m.idempotencyKey), into(m.unionid), into(m.touser),
      into(m.templateName), into(m.payload), into(m.digestRun), into(state), into(m.attempts),
      into(due), into(m.claimedBy), into(m.lastAttemptAtMs), into(m.ambiguousSinceMs),
      into(m.errcode), into(m.error), into(m.msgid), into(m.createdAtMs), into(m.updatedAtMs),
      into(m.sentAtMs), bind(id), limit(1);
  if (select.execute() == 0) return std::nullopt;
  m.state = parseOutboxState(state);
  if (due >= 0) m.dueAtMs = due;
  return m;
}

std::vector<OutboxMessage> SqliteNotifyStore::claim(const std::string& owner, int limit,
                                                    int64_t nowMs, int64_t claimTtlMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    std::vector<int64_t> ids;
    session << sql::kSelectDue, bind(nowMs), bind(limit), into(ids), now;
    std::vector<OutboxMessage> claimed;
    for (int64_t id : ids) {
      session << sql::kClaimOne, useRef(owner), bind(nowMs + claimTtlMs), bind(nowMs), bind(nowMs),
          bind(id), now;
      if (auto m = selectMessage(session, id)) claimed.push_back(std::move(*m));
    }
    return claimed;
  });
}

void SqliteNotifyStore::extendClaims(const std::string& owner, int64_t untilMs,
                                     int64_t renewBeforeMs, int64_t claimedSinceMs) {
  db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kExtendClaims, bind(untilMs), useRef(owner), bind(renewBeforeMs),
        bind(claimedSinceMs), now;
  });
}

int64_t SqliteNotifyStore::markSent(const std::vector<std::pair<int64_t, int64_t>>& sent,
                                    const std::string& owner, int64_t nowMs) {
  if (sent.empty()) return 0;
  return db_.transaction([&](Poco::Data::Session& session) {
    int64_t marked = 0;
    for (const auto& [id, msgid] : sent) {
      Poco::Data::Statement update(session);
      update << sql::kMarkSent, bind(msgid), bind(nowMs), bind(nowMs), bind(id), useRef(owner);
      marked += update.execute();
    }
    return marked;
  });
}

bool SqliteNotifyStore::markFailed(int64_t id, const std::string& owner, int errcode,
                                   const std::string& error, int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement update(session);
    update << sql::kMarkFailed, bind(errcode), useRef(error), bind(nowMs), bind(id), useRef(owner);
    return update.execute() == 1;
  });
}

bool SqliteNotifyStore::retryLater(int64_t id, const std::string& owner, const SendRetry& retry,
                                   int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement update(session);
    update << sql::kRetryLater, bind(retry.dueAtMs), bind(retry.errcode), useRef(retry.error),
        bind(nowMs), bind(retry.refundAttempt ? 1 : 0), bind(retry.ambiguous ? 1 : 0), bind(id),
        useRef(owner);
    return update.execute() == 1;
  });
}

bool SqliteNotifyStore::markUnknown(int64_t id, const std::string& owner, const std::string& error,
                                    int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement update(session);
    update << sql::kMarkUnknown, useRef(error), bind(nowMs), bind(id), useRef(owner);
    return update.execute() == 1;
  });
}

int64_t SqliteNotifyStore::recoverStale(int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement recover(session);
    recover << sql::kRecoverClaims, bind(nowMs), bind(nowMs), bind(nowMs);
    return static_cast<int64_t>(recover.execute());
  });
}

std::optional<OutboxMessage> SqliteNotifyStore::message(int64_t id) {
  return db_.locked([&](Poco::Data::Session& session) { return selectMessage(session, id); });
}

std::map<OutboxState, int64_t> SqliteNotifyStore::depthByState() {
  return db_.locked([&](Poco::Data::Session& session) {
    std::vector<std::string> states;
    std::vector<int64_t> counts;
    session << sql::kDepth, into(states), into(counts), now;
    std::map<OutboxState, int64_t> depth;
    for (size_t i = 0; i < states.size(); ++i) depth[parseOutboxState(states[i])] += counts[i];
    return depth;
  });
}

std::optional<int64_t> SqliteNotifyStore::nextDueMs() {
  return db_.locked([&](Poco::Data::Session& session) -> std::optional<int64_t> {
    int64_t due = -1;
    session << sql::kNextDue, into(due), now;
    if (due < 0) return std::nullopt;
    return due;
  });
}

void SqliteNotifyStore::pauseSends(const std::string& api, int64_t untilMs,
                                   const std::string& reason, int64_t nowMs) {
  db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kPause, useRef(api), bind(untilMs), useRef(reason), bind(nowMs), now;
  });
}

std::optional<int64_t> SqliteNotifyStore::sendsPausedUntil(const std::string& api, int64_t nowMs) {
  return db_.locked([&](Poco::Data::Session& session) -> std::optional<int64_t> {
    int64_t until = 0;
    Poco::Data::Statement select(session);
    select << sql::kPausedUntil, into(until), useRef(api), bind(nowMs), limit(1);
    if (select.execute() == 0) return std::nullopt;
    return until;
  });
}

std::optional<DigestRun> SqliteNotifyStore::selectRun(Poco::Data::Session& session,
                                                      const char* where,
                                                      const std::string* runKey) {
  DigestRun r;
  int enqueued = 0;
  Poco::Data::Statement select(session);
  select << std::string(sql::kRunColumns) + where, into(r.id), into(r.runKey), into(enqueued),
      into(r.startedAtMs), into(r.finishedAtMs), into(r.accounts), into(r.messages),
      into(r.skipped);
  if (runKey) select, useRef(*runKey);
  select, limit(1);
  if (select.execute() == 0) return std::nullopt;
  r.enqueued = enqueued != 0;
  return r;
}

DigestRun SqliteNotifyStore::openDigestRun(const std::string& runKey, int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement insert(session);
    insert << sql::kOpenRun, useRef(runKey), bind(nowMs);
    bool created = insert.execute() == 1;
    DigestRun run = *selectRun(session, sql::kWhereRunKey, &runKey);
    run.created = created;
    return run;
  });
}

std::optional<DigestRun> SqliteNotifyStore::latestDigestRun() {
  return db_.locked([&](Poco::Data::Session& session) {
    return selectRun(session, sql::kWhereLatestRun, nullptr);
  });
}

void SqliteNotifyStore::finishDigestRun(int64_t id, int64_t accounts, int64_t skipped,
                                        int64_t nowMs) {
  db_.transaction([&](Poco::Data::Session& session) {
    auto [from, to] = digestKeyRange(id);
    session << sql::kFinishRun, bind(nowMs), bind(accounts), bind(skipped), useRef(from),
        useRef(to), bind(id), now;
  });
}

int64_t SqliteNotifyStore::openMessagesOfRun(int64_t id) {
  return db_.locked([&](Poco::Data::Session& session) {
    int64_t open = 0;
    auto [from, to] = digestKeyRange(id);
    session << sql::kOpenOfRun, useRef(from), useRef(to), into(open), now;
    return open;
  });
}

PurgeCounts SqliteNotifyStore::purgeBefore(int64_t cutoffMs, int maxRows) {
  PurgeCounts purged;
  purged.messages = purgeChunk(db_, sql::kPurgeMessages, cutoffMs, maxRows);
  purged.events = purgeChunk(db_, sql::kPurgeEvents, cutoffMs, maxRows);
  return purged;
}

}  // namespace wxb
