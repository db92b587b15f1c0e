#include "store/sqlite_store.h"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <set>

#include "store/forced_refresh.h"
#include "store/migrations.h"
#include "store/sqlite_sql.h"

using namespace Poco::Data::Keywords;
namespace sql = wxb::sqlite_sql;

namespace wxb {

SqliteStore::SqliteStore(const std::string& path) : db_(path) {}

MigrationReport SqliteStore::migrate() {
  return db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kCreateMigrations, now;
    std::vector<std::string> done;
    session << sql::kAppliedMigrations, into(done), now;
    std::set<std::string> applied(done.begin(), done.end());
    MigrationReport report;
    for (const auto& m : migrationsFor("sqlite")) {
      if (applied.count(m.name)) {
        report.already.push_back(m.name);
        continue;
      }
      for (const auto& statement : splitStatements(m.sql)) session << statement, now;
      session << sql::kRecordMigration, bind(std::string(m.name)),
          bind(static_cast<int64_t>(std::time(nullptr)) * 1000), now;
      report.applied.push_back(m.name);
    }
    return report;
  });
}

std::optional<std::string> SqliteStore::whyNotReady() {
  try {
    db_.locked([&](Poco::Data::Session& session) {
      session << sql::kWriteProbe, bind(std::string()), now;
    });
    return std::nullopt;
  } catch (const StoreError& e) {
    return std::string(e.what());
  }
}

std::optional<Account> SqliteStore::findAccount(const std::string& where,
                                                const std::string& value) {
  return db_.locked([&](Poco::Data::Session& session) -> std::optional<Account> {
    Account a;
    int subscribed = 0;
    Poco::Data::Statement select(session);
    select << sql::kAccountColumns + where, into(a.unionid), into(a.oaOpenid), into(subscribed),
        into(a.mpOpenid), into(a.syncedAtMs), useRef(value), limit(1);
    if (select.execute() == 0) return std::nullopt;
    a.subscribed = subscribed != 0;
    return a;
  });
}

std::optional<Account> SqliteStore::findByUnionid(const std::string& unionid) {
  return findAccount("WHERE unionid = ?", unionid);
}

std::optional<Account> SqliteStore::findByOaOpenid(const std::string& oaOpenid) {
  return findAccount("WHERE oa_openid = ?", oaOpenid);
}

std::vector<Account> SqliteStore::findByUnionids(const std::vector<std::string>& unionids) {
  std::vector<Account> found;
  for (const auto& u : unionids) {
    if (auto a = findByUnionid(u)) found.push_back(std::move(*a));
  }
  return found;
}

void SqliteStore::upsertFollowers(const std::vector<FollowerRecord>& followers,
                                  int64_t syncedAtMs) {
  db_.transaction([&](Poco::Data::Session& session) {
    for (const auto& f : followers) {
      int subscribed = f.subscribed ? 1 : 0;
      if (f.unionid.empty()) {
        session << sql::kUpsertFollowerByOpenid, useRef(f.oaOpenid), bind(subscribed),
            bind(syncedAtMs), now;
        continue;
      }
      session << sql::kDropOrphanFollower, useRef(f.oaOpenid), now;
      session << sql::kUpsertFollowerByUnionid, useRef(f.unionid), useRef(f.oaOpenid),
          bind(subscribed), bind(syncedAtMs), now;
    }
  });
}

void SqliteStore::setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs) {
  db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kUpsertFollowerByOpenid, useRef(oaOpenid), bind(subscribed ? 1 : 0), bind(atMs),
        now;
  });
}

void SqliteStore::recordMpUser(const std::string& mpOpenid, const std::string& unionid) {
  db_.transaction([&](Poco::Data::Session& session) {
    if (unionid.empty()) {
      session << sql::kInsertMpUser, useRef(mpOpenid), now;
      return;
    }
    session << sql::kDropOrphanMpUser, useRef(mpOpenid), now;
    session << sql::kUpsertMpUserByUnionid, useRef(unionid), useRef(mpOpenid), now;
  });
}

int64_t SqliteStore::countAccounts() {
  return db_.locked([&](Poco::Data::Session& session) {
    int64_t n = 0;
    session << sql::kCountAccounts, into(n), now;
    return n;
  });
}

bool SqliteStore::tryAcquireLease(const std::string& name, const std::string& owner, int64_t ttlMs,
                                  int64_t nowMs) {
  return db_.transaction([&](Poco::Data::Session& session) {
    int64_t expires = nowMs + ttlMs;
    session << sql::kUpsertLease, useRef(name), useRef(owner), bind(expires), bind(nowMs), now;
    int held = 0;
    session << sql::kLeaseHeldBy, useRef(name), useRef(owner), bind(expires), into(held), now;
    return held == 1;
  });
}

void SqliteStore::releaseLease(const std::string& name, const std::string& owner) {
  db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kReleaseLease, useRef(name), useRef(owner), now;
  });
}

std::optional<LeaseHolder> SqliteStore::leaseHolder(const std::string& name, int64_t nowMs) {
  return db_.locked([&](Poco::Data::Session& session) -> std::optional<LeaseHolder> {
    LeaseHolder holder;
    Poco::Data::Statement select(session);
    select << sql::kLeaseHolder, into(holder.owner), into(holder.expiresAtMs), useRef(name),
        bind(nowMs), limit(1);
    if (select.execute() == 0) return std::nullopt;
    return holder;
  });
}

std::optional<StoredToken> SqliteStore::loadToken(const std::string& app) {
  return db_.locked([&](Poco::Data::Session& session) -> std::optional<StoredToken> {
    StoredToken t;
    t.app = app;
    Poco::Data::Statement select(session);
    select << sql::kLoadToken, into(t.accessToken), into(t.expiresAtMs), into(t.fetchedAtMs),
        into(t.version), useRef(app), limit(1);
    if (select.execute() == 0) return std::nullopt;
    return t;
  });
}

std::optional<int64_t> SqliteStore::storeToken(const std::string& app, const std::string& token,
                                               int64_t expiresAtMs, int64_t fetchedAtMs,
                                               int64_t expectedVersion) {
  return db_.transaction([&](Poco::Data::Session& session) -> std::optional<int64_t> {
    Poco::Data::Statement write(session);
    if (expectedVersion == 0) {
      write << sql::kInsertToken, useRef(app), useRef(token), bind(expiresAtMs), bind(fetchedAtMs);
    } else {
      write << sql::kUpdateToken, useRef(token), bind(expiresAtMs), bind(fetchedAtMs), useRef(app),
          bind(expectedVersion);
    }
    if (write.execute() != 1) return std::nullopt;
    return expectedVersion + 1;
  });
}

bool SqliteStore::expireToken(const std::string& app, const std::string& deadToken) {
  return db_.transaction([&](Poco::Data::Session& session) {
    Poco::Data::Statement update(session);
    update << sql::kExpireToken, useRef(app), useRef(deadToken);
    return update.execute() == 1;
  });
}

bool SqliteStore::tryCountForcedRefresh(const std::string& app, const std::string& day,
                                        int64_t nowMs, int64_t minGapMs, int maxPerDay) {
  return db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kEnsureRefreshRow, useRef(app), now;
    ForcedRefreshRow row;
    session << sql::kLoadRefreshRow, into(row.day), into(row.count), into(row.lastAtMs),
        useRef(app), now;
    auto next = countForcedRefresh(row, day, nowMs, minGapMs, maxPerDay);
    if (!next) return false;
    session << sql::kStoreRefreshRow, bind(next->day), bind(next->count), bind(next->lastAtMs),
        useRef(app), now;
    return true;
  });
}

int SqliteStore::forcedRefreshesOn(const std::string& app, const std::string& day) {
  return db_.locked([&](Poco::Data::Session& session) {
    ForcedRefreshRow row;
    session << sql::kLoadRefreshRow, into(row.day), into(row.count), into(row.lastAtMs),
        useRef(app), now;
    return row.day == day ? row.count : 0;
  });
}

std::optional<int64_t> SqliteStore::lastFireMs(const std::string& job) {
  return db_.locked([&](Poco::Data::Session& session) -> std::optional<int64_t> {
    int64_t at = 0;
    Poco::Data::Statement select(session);
    select << sql::kLastFire, into(at), useRef(job), limit(1);
    if (select.execute() == 0) return std::nullopt;
    return at;
  });
}

void SqliteStore::recordFireMs(const std::string& job, int64_t fireMs) {
  db_.transaction([&](Poco::Data::Session& session) {
    session << sql::kRecordFire, useRef(job), bind(fireMs), now;
  });
}

}  // namespace wxb
