#include "store/mysql_notify_store.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>

#include "store/mysql_notify_sql.h"
#include "store/notifications/notify_rows.h"

namespace q = wxb::mysql_notify_sql;

namespace wxb {

namespace {

constexpr int kDeadlockTries = 5;
constexpr size_t kEnqueueChunk = 500;

bool lostLockRace(int code) { return code == 1213 /* deadlock */ || code == 1205 /* wait */; }

std::unique_ptr<sql::ResultSet> query(sql::PreparedStatement& st) {
  return std::unique_ptr<sql::ResultSet>(st.executeQuery());
}

OutboxMessage readMessage(sql::ResultSet& rs) {
  OutboxMessage m;
  m.id = rs.getInt64(1);
  m.idempotencyKey = rs.getString(2);
  m.unionid = rs.getString(3);
  m.touser = rs.getString(4);
  m.templateName = rs.getString(5);
  m.payload = rs.getString(6);
  m.digestRun = rs.getInt64(7);
  m.state = parseOutboxState(std::string(rs.getString(8)));
  m.attempts = rs.getInt(9);
  if (int64_t due = rs.getInt64(10); due >= 0) m.dueAtMs = due;
  m.claimedBy = rs.getString(11);
  m.lastAttemptAtMs = rs.getInt64(12);
  m.ambiguousSinceMs = rs.getInt64(13);
  m.errcode = rs.getInt(14);
  m.error = rs.getString(15);
  m.msgid = rs.getInt64(16);
  m.createdAtMs = rs.getInt64(17);
  m.updatedAtMs = rs.getInt64(18);
  m.sentAtMs = rs.getInt64(19);
  return m;
}

DigestRun readRun(sql::ResultSet& rs) {
  DigestRun r;
  r.id = rs.getInt64(1);
  r.runKey = rs.getString(2);
  r.enqueued = rs.getInt(3) != 0;
  r.startedAtMs = rs.getInt64(4);
  r.finishedAtMs = rs.getInt64(5);
  r.accounts = rs.getInt64(6);
  r.messages = rs.getInt64(7);
  r.skipped = rs.getInt64(8);
  return r;
}

std::vector<UnreadSummary> unreadRange(MysqlConn& conn, const std::string& first,
                                       const std::string& last) {
  auto& counts = conn.prepare(q::kRangeCounts);
  counts.setString(1, first);
  counts.setString(2, last);
  std::vector<UnreadCountRow> countRows;
  for (auto rs = query(counts); rs->next();) {
    countRows.push_back({rs->getString(1), rs->getString(2), rs->getInt64(3)});
  }
  auto& latest = conn.prepare(q::kRangeLatest);
  latest.setString(1, first);
  latest.setString(2, last);
  std::vector<UnreadLatestRow> latestRows;
  for (auto rs = query(latest); rs->next();) {
    latestRows.push_back({rs->getString(1), rs->getString(2), rs->getString(3), rs->getString(4),
                          rs->getInt(5) != 0});
  }
  return assembleUnread(countRows, latestRows);
}

void bindMessage(sql::PreparedStatement& st, int first, const NewMessage& m, int64_t nowMs) {
  st.setString(first, m.idempotencyKey);
  st.setString(first + 1, m.unionid);
  st.setString(first + 2, m.touser);
  st.setString(first + 3, m.templateName);
  st.setString(first + 4, m.payload);
  st.setInt64(first + 5, m.digestRun);
  st.setInt64(first + 6, nowMs);  // due now
  st.setInt64(first + 7, nowMs);
  st.setInt64(first + 8, nowMs);
}

int64_t insertChunk(MysqlConn& conn, const NewMessage* first, size_t n, int64_t nowMs) {
  auto& insert = conn.prepare(q::enqueueRows(n));
  for (size_t i = 0; i < n; ++i) bindMessage(insert, static_cast<int>(9 * i + 1), first[i], nowMs);
  return insert.executeUpdate();
}

std::vector<OutboxMessage> selectMessages(MysqlConn& conn, const std::vector<int64_t>& ids) {
  auto& select = conn.prepare(q::messagesByIds(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) select.setInt64(static_cast<int>(i + 1), ids[i]);
  std::vector<OutboxMessage> out;
  for (auto rs = query(select); rs->next();) out.push_back(readMessage(*rs));
  return out;
}

// The due rows, locked for this transaction, as they were before the claim.
std::vector<OutboxMessage> lockDue(MysqlConn& conn, int limit, int64_t nowMs) {
  auto& select = conn.prepare(q::lockDue());
  select.setInt64(1, nowMs);
  select.setInt(2, limit);
  std::vector<OutboxMessage> rows;
  for (auto rs = query(select); rs->next();) rows.push_back(readMessage(*rs));
  return rows;
}

// What the claim UPDATE wrote, applied to the rows read before it (saves reading them again).
void markClaimed(std::vector<OutboxMessage>& rows, const std::string& owner, int64_t nowMs) {
  for (auto& m : rows) {
    m.state = OutboxState::Sending;
    m.dueAtMs.reset();
    m.claimedBy = owner;
    m.attempts += 1;
    m.lastAttemptAtMs = nowMs;
    m.updatedAtMs = nowMs;
  }
}

// Deletes at most maxRows rows that `select` finds before cutoffMs, by primary key (`remove`
// makes the DELETE for n ids). Returns how many.
int64_t purgeChunk(MysqlConn& conn, const char* select, std::string (*remove)(size_t),
                   int64_t cutoffMs, int maxRows) {
  auto& find = conn.prepare(select);
  find.setInt64(1, cutoffMs);
  find.setInt(2, maxRows);
  std::vector<int64_t> ids;
  for (auto rs = query(find); rs->next();) ids.push_back(rs->getInt64(1));
  if (ids.empty()) return 0;
  // Always maxRows placeholders (a repeated id deletes nothing more), so that a connection
  // prepares one DELETE, not one per chunk length.
  ids.resize(static_cast<size_t>(maxRows), ids.back());
  auto& del = conn.prepare(remove(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) del.setInt64(static_cast<int>(i + 1), ids[i]);
  return del.executeUpdate();
}

}  // namespace

template <typename Fn>
auto MysqlNotifyStore::run(Fn&& fn) -> decltype(fn(std::declval<MysqlConn&>())) {
  return pool_.run([&](MysqlConn& conn) {
    for (int attempt = 1;; ++attempt) {
      try {
        return fn(conn);
      } catch (const sql::SQLException& e) {
        if (!lostLockRace(e.getErrorCode()) || attempt >= kDeadlockTries) throw;
      }
    }
  });
}

bool MysqlNotifyStore::addEvent(const NotifyEvent& e) {
  return run([&](MysqlConn& conn) {
    auto& insert = conn.prepare(q::kAddEvent);
    insert.setString(1, e.eventId);
    insert.setString(2, e.unionid);
    insert.setString(3, e.type);
    insert.setString(4, e.actor);
    insert.setString(5, e.text);
    insert.setInt64(6, e.createdAtMs);
    return insert.executeUpdate() == 1;
  });
}

int64_t MysqlNotifyStore::markRead(const std::string& unionid,
                                   const std::vector<std::string>& types, int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    auto& update =
        conn.prepare(types.empty() ? std::string(q::kMarkReadAll) : q::markReadTypes(types.size()));
    update.setInt64(1, nowMs);
    update.setString(2, unionid);
    for (size_t i = 0; i < types.size(); ++i) update.setString(static_cast<int>(i + 3), types[i]);
    return static_cast<int64_t>(update.executeUpdate());
  });
}

std::optional<UnreadSummary> MysqlNotifyStore::unreadSummary(const std::string& unionid) {
  auto found = run([&](MysqlConn& conn) { return unreadRange(conn, unionid, unionid); });
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<UnreadSummary> MysqlNotifyStore::unreadPage(const std::string& afterUnionid,
                                                        int limit) {
  return run([&](MysqlConn& conn) {
    auto& page = conn.prepare(q::kPageUnionids);
    page.setString(1, afterUnionid);
    page.setInt(2, limit);
    std::string first, last;
    for (auto rs = query(page); rs->next();) {
      last = rs->getString(1);
      if (first.empty()) first = last;
    }
    if (first.empty()) return std::vector<UnreadSummary>{};
    return unreadRange(conn, first, last);
  });
}

EnqueueResult MysqlNotifyStore::enqueue(const NewMessage& message, int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    EnqueueResult result;
    result.created = insertChunk(conn, &message, 1, nowMs) == 1;
    auto& find = conn.prepare(q::kIdByKey);
    find.setString(1, message.idempotencyKey);
    auto rs = query(find);
    if (!rs->next()) throw StoreError("outbox: the message just enqueued is missing");
    result.id = rs->getInt64(1);
    return result;
  });
}

int64_t MysqlNotifyStore::enqueueMany(const std::vector<NewMessage>& messages, int64_t nowMs) {
  if (messages.empty()) return 0;
  return run([&](MysqlConn& conn) {
    int64_t created = 0;
    conn.transaction([&] {
      created = 0;
      for (size_t at = 0; at < messages.size(); at += kEnqueueChunk) {
        size_t n = std::min(kEnqueueChunk, messages.size() - at);
        created += insertChunk(conn, messages.data() + at, n, nowMs);
      }
    });
    return created;
  });
}

std::vector<OutboxMessage> MysqlNotifyStore::claim(const std::string& owner, int limit,
                                                   int64_t nowMs, int64_t claimTtlMs) {
  return run([&](MysqlConn& conn) {
    std::vector<OutboxMessage> claimed;
    conn.transaction([&] {
      claimed = lockDue(conn, limit, nowMs);
      if (claimed.empty()) return;
      auto& update = conn.prepare(q::claimRows(claimed.size()));
      update.setString(1, owner);
      update.setInt64(2, nowMs + claimTtlMs);
      update.setInt64(3, nowMs);
      update.setInt64(4, nowMs);
      for (size_t i = 0; i < claimed.size(); ++i) {
        update.setInt64(static_cast<int>(i + 5), claimed[i].id);
      }
      update.executeUpdate();
    });
    markClaimed(claimed, owner, nowMs);
    return claimed;
  });
}

void MysqlNotifyStore::extendClaims(const std::string& owner, int64_t untilMs,
                                    int64_t renewBeforeMs, int64_t claimedSinceMs) {
  run([&](MysqlConn& conn) {
    auto& update = conn.prepare(q::kExtendClaims);
    update.setInt64(1, untilMs);
    update.setString(2, owner);
    update.setInt64(3, renewBeforeMs);
    update.setInt64(4, claimedSinceMs);
    update.executeUpdate();
  });
}

int64_t MysqlNotifyStore::markSent(const std::vector<std::pair<int64_t, int64_t>>& sent,
                                   const std::string& owner, int64_t nowMs) {
  if (sent.empty()) return 0;
  return run([&](MysqlConn& conn) {
    auto& update = conn.prepare(q::markSentRows(sent.size()));
    int i = 1;
    update.setInt64(i++, nowMs);
    update.setInt64(i++, nowMs);
    for (const auto& [id, msgid] : sent) {
      update.setInt64(i++, id);
      update.setInt64(i++, msgid);
    }
    update.setString(i++, owner);
    for (const auto& entry : sent) update.setInt64(i++, entry.first);
    return static_cast<int64_t>(update.executeUpdate());
  });
}

bool MysqlNotifyStore::markFailed(int64_t id, const std::string& owner, int errcode,
                                  const std::string& error, int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    auto& update = conn.prepare(q::kMarkFailed);
    update.setInt(1, errcode);
    update.setString(2, error.substr(0, 500));
    update.setInt64(3, nowMs);
    update.setInt64(4, id);
    update.setString(5, owner);
    return update.executeUpdate() == 1;
  });
}

bool MysqlNotifyStore::retryLater(int64_t id, const std::string& owner, const SendRetry& retry,
                                  int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    auto& update = conn.prepare(q::kRetryLater);
    update.setInt64(1, retry.dueAtMs);
    update.setInt(2, retry.errcode);
    update.setString(3, retry.error.substr(0, 500));
    update.setInt64(4, nowMs);
    update.setInt(5, retry.refundAttempt ? 1 : 0);
    update.setInt(6, retry.ambiguous ? 1 : 0);
    update.setInt64(7, id);
    update.setString(8, owner);
    return update.executeUpdate() == 1;
  });
}

bool MysqlNotifyStore::markUnknown(int64_t id, const std::string& owner, const std::string& error,
                                   int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    auto& update = conn.prepare(q::kMarkUnknown);
    update.setString(1, error.substr(0, 500));
    update.setInt64(2, nowMs);
    update.setInt64(3, id);
    update.setString(4, owner);
    return update.executeUpdate() == 1;
  });
}

int64_t MysqlNotifyStore::recoverStale(int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    auto& recover = conn.prepare(q::kRecoverClaims);
    recover.setInt64(1, nowMs);
    recover.setInt64(2, nowMs);
    recover.setInt64(3, nowMs);
    return static_cast<int64_t>(recover.executeUpdate());
  });
}

std::optional<OutboxMessage> MysqlNotifyStore::message(int64_t id) {
  auto found = run([&](MysqlConn& conn) { return selectMessages(conn, {id}); });
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::map<OutboxState, int64_t> MysqlNotifyStore::depthByState() {
  return run([&](MysqlConn& conn) {
    std::map<OutboxState, int64_t> depth;
    for (auto rs = query(conn.prepare(q::kDepth)); rs->next();) {
      depth[parseOutboxState(std::string(rs->getString(1)))] += rs->getInt64(2);
    }
    return depth;
  });
}

std::optional<int64_t> MysqlNotifyStore::nextDueMs() {
  return run([&](MysqlConn& conn) -> std::optional<int64_t> {
    auto rs = query(conn.prepare(q::kNextDue));
    if (!rs->next() || rs->getInt64(1) < 0) return std::nullopt;
    return rs->getInt64(1);
  });
}

void MysqlNotifyStore::pauseSends(const std::string& api, int64_t untilMs,
                                  const std::string& reason, int64_t nowMs) {
  run([&](MysqlConn& conn) {
    auto& upsert = conn.prepare(q::kPause);
    upsert.setString(1, api);
    upsert.setInt64(2, untilMs);
    upsert.setString(3, reason.substr(0, 250));
    upsert.setInt64(4, nowMs);
    upsert.executeUpdate();
  });
}

std::optional<int64_t> MysqlNotifyStore::sendsPausedUntil(const std::string& api, int64_t nowMs) {
  return run([&](MysqlConn& conn) -> std::optional<int64_t> {
    auto& select = conn.prepare(q::kPausedUntil);
    select.setString(1, api);
    select.setInt64(2, nowMs);
    auto rs = query(select);
    if (!rs->next()) return std::nullopt;
    return rs->getInt64(1);
  });
}

DigestRun MysqlNotifyStore::openDigestRun(const std::string& runKey, int64_t nowMs) {
  return run([&](MysqlConn& conn) {
    auto& insert = conn.prepare(q::kOpenRun);
    insert.setString(1, runKey);
    insert.setInt64(2, nowMs);
    bool created = insert.executeUpdate() == 1;
    auto& select = conn.prepare(std::string(q::kRunColumns) + q::kWhereRunKey);
    select.setString(1, runKey);
    auto rs = query(select);
    if (!rs->next()) throw StoreError("digest run " + runKey + " vanished after insert");
    DigestRun run = readRun(*rs);
    run.created = created;
    return run;
  });
}

std::optional<DigestRun> MysqlNotifyStore::latestDigestRun() {
  return run([&](MysqlConn& conn) -> std::optional<DigestRun> {
    auto rs = query(conn.prepare(std::string(q::kRunColumns) + q::kWhereLatestRun));
    if (!rs->next()) return std::nullopt;
    return readRun(*rs);
  });
}

void MysqlNotifyStore::finishDigestRun(int64_t id, int64_t accounts, int64_t skipped,
                                       int64_t nowMs) {
  run([&](MysqlConn& conn) {
    auto [from, to] = digestKeyRange(id);
    auto& update = conn.prepare(q::kFinishRun);
    update.setInt64(1, nowMs);
    update.setInt64(2, accounts);
    update.setInt64(3, skipped);
    update.setString(4, from);
    update.setString(5, to);
    update.setInt64(6, id);
    update.executeUpdate();
  });
}

int64_t MysqlNotifyStore::openMessagesOfRun(int64_t id) {
  return run([&](MysqlConn& conn) {
    auto [from, to] = digestKeyRange(id);
    auto& select = conn.prepare(q::kOpenOfRun);
    select.setString(1, from);
    select.setString(2, to);
    auto rs = query(select);
    return rs->next() ? rs->getInt64(1) : int64_t{0};
  });
}

PurgeCounts MysqlNotifyStore::purgeBefore(int64_t cutoffMs, int maxRows) {
  return run([&](MysqlConn& conn) {
    PurgeCounts purged;
    purged.messages =
        purgeChunk(conn, q::kOldFinalMessageIds, q::deleteMessages, cutoffMs, maxRows);
    purged.events = purgeChunk(conn, q::kOldReadEventIds, q::deleteEvents, cutoffMs, maxRows);
    return purged;
  });
}

}  // namespace wxb
