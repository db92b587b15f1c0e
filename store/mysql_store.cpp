#include "store/mysql_store.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <bit>
#include <ctime>
#include <iterator>
#include <set>

#include "store/forced_refresh.h"
#include "store/migrations.h"
#include "store/mysql_sql.h"

namespace q = wxb::mysql_sql;

namespace wxb {

namespace {

constexpr size_t kUpsertChunk = 1000;
constexpr size_t kInListMax = 128;
constexpr int kDuplicateEntry = 1062;  // ER_DUP_ENTRY

std::unique_ptr<sql::ResultSet> query(sql::PreparedStatement& st) {
  return std::unique_ptr<sql::ResultSet>(st.executeQuery());
}

// Deletes the openid-only rows of the followers in [first, first + n) that have a unionid.
// The IN list is padded to kUpsertChunk with a repeated openid, so every call uses the same
// prepared statement (one per connection, not one per list length).
void dropOrphanFollowers(MysqlConn& conn, const FollowerRecord* first, size_t n) {
  auto& find = conn.prepare(q::findOrphanFollowers(kUpsertChunk));
  unsigned param = 1;
  const std::string* last = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (first[i].unionid.empty()) continue;
    last = &first[i].oaOpenid;
    find.setString(param++, *last);
  }
  if (!last) return;
  while (param <= kUpsertChunk) find.setString(param++, *last);
  std::vector<int64_t> orphans;
  for (auto rs = query(find); rs->next();) orphans.push_back(rs->getInt64(1));
  for (int64_t id : orphans) {
    auto& drop = conn.prepare(q::kDeleteAccount);
    drop.setInt64(1, id);
    drop.executeUpdate();
  }
}

Account readAccount(sql::ResultSet& rs) {
  Account a;
  a.unionid = rs.getString(1);
  a.oaOpenid = rs.getString(2);
  a.subscribed = rs.getInt(3) != 0;
  a.mpOpenid = rs.getString(4);
  a.syncedAtMs = rs.getInt64(5);
  return a;
}

void execRaw(MysqlConn& conn, const std::string& statement) {
  std::unique_ptr<sql::Statement> st(conn.raw().createStatement());
  st->execute(statement);
}

}  // namespace

MysqlStore::MysqlStore(const StoreSettings& settings) : pool_(settings) {}

MigrationReport MysqlStore::migrate() {
  return pool_.run([&](MysqlConn& conn) {
    // GET_LOCK serialises instances that start at once; MySQL DDL is not transactional.
    std::unique_ptr<sql::Statement> st(conn.raw().createStatement());
    std::unique_ptr<sql::ResultSet> locked(st->executeQuery(q::kMigrationLock));
    if (!locked->next() || locked->getInt(1) != 1) {
      throw StoreError("could not take the migration lock within 120 s");
    }
    MigrationReport report;
    try {
      st->execute(q::kCreateMigrations);
      std::set<std::string> applied;
      for (auto rs = query(conn.prepare(q::kAppliedMigrations)); rs->next();) {
        applied.insert(rs->getString(1));
      }
      for (const auto& m : migrationsFor("mysql")) {
        if (applied.count(m.name)) {
          report.already.push_back(m.name);
          continue;
        }
        for (const auto& statement : splitStatements(m.sql)) execRaw(conn, statement);
        auto& record = conn.prepare(q::kRecordMigration);
        record.setString(1, m.name);
        record.setInt64(2, static_cast<int64_t>(std::time(nullptr)) * 1000);
        record.executeUpdate();
        report.applied.push_back(m.name);
      }
    } catch (...) {
      std::unique_ptr<sql::ResultSet>(st->executeQuery(q::kMigrationUnlock));
      throw;
    }
    std::unique_ptr<sql::ResultSet>(st->executeQuery(q::kMigrationUnlock));
    return report;
  });
}

std::optional<std::string> MysqlStore::whyNotReady() {
  try {
    pool_.run([&](MysqlConn& conn) {
      auto& probe = conn.prepare(q::kWriteProbe);
      probe.setString(1, "");
      probe.executeUpdate();
    });
    return std::nullopt;
  } catch (const StoreError& e) {
    return std::string(e.what());
  }
}

std::optional<Account> MysqlStore::findAccount(const std::string& where, const std::string& value) {
  return pool_.run([&](MysqlConn& conn) -> std::optional<Account> {
    auto& st = conn.prepare(std::string(q::kAccountColumns) + where);
    st.setString(1, value);
    auto rs = query(st);
    if (!rs->next()) return std::nullopt;
    return readAccount(*rs);
  });
}

std::optional<Account> MysqlStore::findByUnionid(const std::string& unionid) {
  return findAccount("WHERE unionid = ?", unionid);
}

std::optional<Account> MysqlStore::findByOaOpenid(const std::string& oaOpenid) {
  return findAccount("WHERE oa_openid = ?", oaOpenid);
}

// IN lists come in a few lengths (powers of two up to kInListMax, the last id repeated to fill
// one), so that each connection prepares a handful of statements for any number of ids.
std::vector<Account> MysqlStore::findByUnionids(const std::vector<std::string>& unionids) {
  std::vector<Account> found;
  for (size_t from = 0; from < unionids.size(); from += kInListMax) {
    const size_t n = std::min(kInListMax, unionids.size() - from);
    const size_t length = std::bit_ceil(n);
    auto chunk = pool_.run([&](MysqlConn& conn) {
      auto& st = conn.prepare(q::selectByUnionids(length));
      for (size_t i = 0; i < length; ++i) st.setString(i + 1, unionids[from + std::min(i, n - 1)]);
      std::vector<Account> rows;
      for (auto rs = query(st); rs->next();) rows.push_back(readAccount(*rs));
      return rows;
    });
    found.insert(found.end(), std::make_move_iterator(chunk.begin()),
                 std::make_move_iterator(chunk.end()));
  }
  return found;
}

void MysqlStore::upsertFollowerChunk(MysqlConn& conn, const FollowerRecord* first, size_t n,
                                     int64_t syncedAtMs) {
  auto upsert = [&] {
    auto& st = conn.prepare(q::upsertFollowers(n));
    for (size_t i = 0; i < n; ++i) {
      st.setString(4 * i + 1, first[i].unionid);
      st.setString(4 * i + 2, first[i].oaOpenid);
      st.setInt(4 * i + 3, first[i].subscribed ? 1 : 0);
      st.setInt64(4 * i + 4, syncedAtMs);
    }
    st.executeUpdate();
  };
  try {
    upsert();
    return;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != kDuplicateEntry) throw;
  }
  // Some follower's unionid and openid are each held by a different row (a mini-program user
  // and an openid-only follower): the statement was rolled back; merge them and go again. An
  // openid-only row alone needs no merge: the upsert fills in its unionid.
  dropOrphanFollowers(conn, first, n);
  upsert();
}

void MysqlStore::upsertFollowers(const std::vector<FollowerRecord>& followers, int64_t syncedAtMs) {
  if (followers.empty()) return;
  pool_.run([&](MysqlConn& conn) {
    conn.transaction([&] {
      for (size_t at = 0; at < followers.size(); at += kUpsertChunk) {
        size_t n = std::min(kUpsertChunk, followers.size() - at);
        upsertFollowerChunk(conn, followers.data() + at, n, syncedAtMs);
      }
    });
  });
}

void MysqlStore::setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs) {
  pool_.run([&](MysqlConn& conn) {
    auto& st = conn.prepare(q::kSetSubscribed);
    st.setString(1, oaOpenid);
    st.setInt(2, subscribed ? 1 : 0);
    st.setInt64(3, atMs);
    st.executeUpdate();
  });
}

void MysqlStore::recordMpUser(const std::string& mpOpenid, const std::string& unionid) {
  pool_.run([&](MysqlConn& conn) {
    if (unionid.empty()) {
      auto& st = conn.prepare(q::kInsertMpUser);
      st.setString(1, mpOpenid);
      st.executeUpdate();
      return;
    }
    conn.transaction([&] {
      auto& drop = conn.prepare(q::kDropOrphanMpUser);
      drop.setString(1, mpOpenid);
      drop.executeUpdate();
      auto& upsert = conn.prepare(q::kUpsertMpUserByUnionid);
      upsert.setString(1, unionid);
      upsert.setString(2, mpOpenid);
      upsert.executeUpdate();
    });
  });
}

int64_t MysqlStore::countAccounts() {
  return pool_.run([&](MysqlConn& conn) {
    auto rs = query(conn.prepare(q::kCountAccounts));
    return rs->next() ? rs->getInt64(1) : int64_t{0};
  });
}

bool MysqlStore::tryAcquireLease(const std::string& name, const std::string& owner, int64_t ttlMs,
                                 int64_t nowMs) {
  return pool_.run([&](MysqlConn& conn) {
    int64_t expires = nowMs + ttlMs;
    auto& upsert = conn.prepare(q::kUpsertLease);
    upsert.setString(1, name);
    upsert.setString(2, owner);
    upsert.setInt64(3, expires);
    upsert.setInt64(4, nowMs);
    upsert.executeUpdate();
    auto& held = conn.prepare(q::kLeaseHeldBy);
    held.setString(1, name);
    held.setString(2, owner);
    held.setInt64(3, expires);
    auto rs = query(held);
    return rs->next() && rs->getInt(1) == 1;
  });
}

void MysqlStore::releaseLease(const std::string& name, const std::string& owner) {
  pool_.run([&](MysqlConn& conn) {
    auto& st = conn.prepare(q::kReleaseLease);
    st.setString(1, name);
    st.setString(2, owner);
    st.executeUpdate();
  });
}

std::optional<LeaseHolder> MysqlStore::leaseHolder(const std::string& name, int64_t nowMs) {
  return pool_.run([&](MysqlConn& conn) -> std::optional<LeaseHolder> {
    auto& st = conn.prepare(q::kLeaseHolder);
    st.setString(1, name);
    st.setInt64(2, nowMs);
    auto rs = query(st);
    if (!rs->next()) return std::nullopt;
    return LeaseHolder{rs->getString(1), rs->getInt64(2)};
  });
}

std::optional<StoredToken> MysqlStore::loadToken(const std::string& app) {
  return pool_.run([&](MysqlConn& conn) -> std::optional<StoredToken> {
    auto& st = conn.prepare(q::kLoadToken);
    st.setString(1, app);
    auto rs = query(st);
    if (!rs->next()) return std::nullopt;
    return StoredToken{app, rs->getString(1), rs->getInt64(2), rs->getInt64(3), rs->getInt64(4)};
  });
}

std::optional<int64_t> MysqlStore::storeToken(const std::string& app, const std::string& token,
                                              int64_t expiresAtMs, int64_t fetchedAtMs,
                                              int64_t expectedVersion) {
  return pool_.run([&](MysqlConn& conn) -> std::optional<int64_t> {
    bool insert = expectedVersion == 0;
    auto& st = conn.prepare(insert ? q::kInsertToken : q::kUpdateToken);
    int i = 1;
    if (insert) st.setString(i++, app);
    st.setString(i++, token);
    st.setInt64(i++, expiresAtMs);
    st.setInt64(i++, fetchedAtMs);
    if (!insert) {
      st.setString(i++, app);
      st.setInt64(i++, expectedVersion);
    }
    if (st.executeUpdate() != 1) return std::nullopt;
    return expectedVersion + 1;
  });
}

bool MysqlStore::expireToken(const std::string& app, const std::string& deadToken) {
  return pool_.run([&](MysqlConn& conn) {
    auto& st = conn.prepare(q::kExpireToken);
    st.setString(1, app);
    st.setString(2, deadToken);
    return st.executeUpdate() == 1;
  });
}

bool MysqlStore::tryCountForcedRefresh(const std::string& app, const std::string& day,
                                       int64_t nowMs, int64_t minGapMs, int maxPerDay) {
  return pool_.run([&](MysqlConn& conn) {
    auto& ensure = conn.prepare(q::kEnsureRefreshRow);
    ensure.setString(1, app);
    ensure.executeUpdate();
    bool counted = false;
    conn.transaction([&] {
      auto& lock = conn.prepare(q::kLockRefreshRow);
      lock.setString(1, app);
      auto rs = query(lock);
      if (!rs->next()) return;
      ForcedRefreshRow row{rs->getString(1), rs->getInt(2), rs->getInt64(3)};
      auto next = countForcedRefresh(row, day, nowMs, minGapMs, maxPerDay);
      if (!next) return;
      auto& store = conn.prepare(q::kStoreRefreshRow);
      store.setString(1, next->day);
      store.setInt(2, next->count);
      store.setInt64(3, next->lastAtMs);
      store.setString(4, app);
      store.executeUpdate();
      counted = true;
    });
    return counted;
  });
}

int MysqlStore::forcedRefreshesOn(const std::string& app, const std::string& day) {
  return pool_.run([&](MysqlConn& conn) {
    auto& st = conn.prepare(q::kLoadRefreshRow);
    st.setString(1, app);
    auto rs = query(st);
    if (!rs->next() || rs->getString(1) != day) return 0;
    return rs->getInt(2);
  });
}

std::optional<int64_t> MysqlStore::lastFireMs(const std::string& job) {
  return pool_.run([&](MysqlConn& conn) -> std::optional<int64_t> {
    auto& st = conn.prepare(q::kLastFire);
    st.setString(1, job);
    auto rs = query(st);
    if (!rs->next()) return std::nullopt;
    return rs->getInt64(1);
  });
}

void MysqlStore::recordFireMs(const std::string& job, int64_t fireMs) {
  pool_.run([&](MysqlConn& conn) {
    auto& st = conn.prepare(q::kRecordFire);
    st.setString(1, job);
    st.setInt64(2, fireMs);
    st.executeUpdate();
  });
}

}  // namespace wxb
