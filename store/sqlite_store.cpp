#include "store/sqlite_store.h"

#include <filesystem>
#include <set>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include "store/forced_refresh.h"
#include "store/migrations.h"
#include "store/sqlite_sql.h"

using namespace Poco::Data::Keywords;
namespace sql = wxb::sqlite_sql;

namespace wxb {

namespace {

Poco::Data::Session openSession(const std::string& path) {
  Poco::Data::SQLite::Connector::registerConnector();
  if (path != ":memory:") {
    auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder);
  }
  try {
    Poco::Data::Session session("SQLite", path);
    if (path != ":memory:") session << "PRAGMA journal_mode=WAL", now;
    session << "PRAGMA busy_timeout=10000", now;
    session << "PRAGMA synchronous=NORMAL", now;
    return session;
  } catch (const Poco::Exception& e) {
    throw StoreUnavailable("cannot open SQLite database " + path + ": " + e.displayText());
  }
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : session_(openSession(path)) {}

template <typename Fn>
auto SqliteStore::locked(Fn&& fn) {
  std::lock_guard lock(mutex_);
  try {
    return fn();
  } catch (const Poco::Exception& e) {
    throw StoreError("SQLite: " + e.displayText());
  }
}

template <typename Fn>
auto SqliteStore::transaction(Fn&& fn) {
  return locked([&] {
    session_ << "BEGIN IMMEDIATE", now;
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        session_ << "COMMIT", now;
      } else {
        auto result = fn();
        session_ << "COMMIT", now;
        return result;
      }
    } catch (...) {
      session_ << "ROLLBACK", now;
      throw;
    }
  });
}

MigrationReport SqliteStore::migrate() {
  return transaction([&] {
    session_ << sql::kCreateMigrations, now;
    std::vector<std::string> done;
    session_ << sql::kAppliedMigrations, into(done), now;
    std::set<std::string> applied(done.begin(), done.end());
    MigrationReport report;
    for (const auto& m : migrationsFor("sqlite")) {
      if (applied.count(m.name)) {
        report.already.push_back(m.name);
        continue;
      }
      for (const auto& statement : splitStatements(m.sql)) session_ << statement, now;
      session_ << sql::kRecordMigration, bind(std::string(m.name)),
          bind(static_cast<int64_t>(std::time(nullptr)) * 1000), now;
      report.applied.push_back(m.name);
    }
    return report;
  });
}

bool SqliteStore::ping() {
  try {
    return locked([&] {
      int one = 0;
      session_ << "SELECT 1", into(one), now;
      return one == 1;
    });
  } catch (const StoreError&) {
    return false;
  }
}

std::optional<Account> SqliteStore::findAccount(const std::string& where,
                                                const std::string& value) {
  return locked([&]() -> std::optional<Account> {
    Account a;
    int subscribed = 0;
    Poco::Data::Statement select(session_);
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
  transaction([&] {
    for (const auto& f : followers) {
      int subscribed = f.subscribed ? 1 : 0;
      if (f.unionid.empty()) {
        session_ << sql::kUpsertFollowerByOpenid, useRef(f.oaOpenid), bind(subscribed),
            bind(syncedAtMs), now;
        continue;
      }
      session_ << sql::kDropOrphanFollower, useRef(f.oaOpenid), now;
      session_ << sql::kUpsertFollowerByUnionid, useRef(f.unionid), useRef(f.oaOpenid),
          bind(subscribed), bind(syncedAtMs), now;
    }
  });
}

void SqliteStore::setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs) {
  transaction([&] {
    session_ << sql::kUpsertFollowerByOpenid, useRef(oaOpenid), bind(subscribed ? 1 : 0),
        bind(atMs), now;
  });
}

void SqliteStore::recordMpUser(const std::string& mpOpenid, const std::string& unionid) {
  transaction([&] {
    if (unionid.empty()) {
      session_ << sql::kInsertMpUser, useRef(mpOpenid), now;
      return;
    }
    session_ << sql::kDropOrphanMpUser, useRef(mpOpenid), now;
    session_ << sql::kUpsertMpUserByUnionid, useRef(unionid), useRef(mpOpenid), now;
  });
}

int64_t SqliteStore::countAccounts() {
  return locked([&] {
    int64_t n = 0;
    session_ << sql::kCountAccounts, into(n), now;
    return n;
  });
}

bool SqliteStore::tryAcquireLease(const std::string& name, const std::string& owner,
                                  int64_t ttlMs, int64_t nowMs) {
  return transaction([&] {
    int64_t expires = nowMs + ttlMs;
    session_ << sql::kUpsertLease, useRef(name), useRef(owner), bind(expires), bind(nowMs), now;
    int held = 0;
    session_ << sql::kLeaseHeldBy, useRef(name), useRef(owner), bind(expires), into(held), now;
    return held == 1;
  });
}

void SqliteStore::releaseLease(const std::string& name, const std::string& owner) {
  transaction([&] { session_ << sql::kReleaseLease, useRef(name), useRef(owner), now; });
}

std::optional<LeaseHolder> SqliteStore::leaseHolder(const std::string& name, int64_t nowMs) {
  return locked([&]() -> std::optional<LeaseHolder> {
    LeaseHolder holder;
    Poco::Data::Statement select(session_);
    select << sql::kLeaseHolder, into(holder.owner), into(holder.expiresAtMs), useRef(name),
        bind(nowMs), limit(1);
    if (select.execute() == 0) return std::nullopt;
    return holder;
  });
}

std::optional<StoredToken> SqliteStore::loadToken(const std::string& app) {
  return locked([&]() -> std::optional<StoredToken> {
    StoredToken t;
    t.app = app;
    Poco::Data::Statement select(session_);
    select << sql::kLoadToken, into(t.accessToken), into(t.expiresAtMs), into(t.fetchedAtMs),
        into(t.version), useRef(app), limit(1);
    if (select.execute() == 0) return std::nullopt;
    return t;
  });
}

std::optional<int64_t> SqliteStore::storeToken(const std::string& app, const std::string& token,
                                               int64_t expiresAtMs, int64_t fetchedAtMs,
                                               int64_t expectedVersion) {
  return transaction([&]() -> std::optional<int64_t> {
    Poco::Data::Statement write(session_);
    if (expectedVersion == 0) {
      write << sql::kInsertToken, useRef(app), useRef(token), bind(expiresAtMs),
          bind(fetchedAtMs);
    } else {
      write << sql::kUpdateToken, useRef(token), bind(expiresAtMs), bind(fetchedAtMs),
          useRef(app), bind(expectedVersion);
    }
    if (write.execute() != 1) return std::nullopt;
    return expectedVersion + 1;
  });
}

bool SqliteStore::expireToken(const std::string& app, const std::string& deadToken) {
  return transaction([&] {
    Poco::Data::Statement update(session_);
    update << sql::kExpireToken, useRef(app), useRef(deadToken);
    return update.execute() == 1;
  });
}

bool SqliteStore::tryCountForcedRefresh(const std::string& app, const std::string& day,
                                        int64_t nowMs, int64_t minGapMs, int maxPerDay) {
  return transaction([&] {
    session_ << sql::kEnsureRefreshRow, useRef(app), now;
    ForcedRefreshRow row;
    session_ << sql::kLoadRefreshRow, into(row.day), into(row.count), into(row.lastAtMs),
        useRef(app), now;
    auto next = countForcedRefresh(row, day, nowMs, minGapMs, maxPerDay);
    if (!next) return false;
    session_ << sql::kStoreRefreshRow, bind(next->day), bind(next->count), bind(next->lastAtMs),
        useRef(app), now;
    return true;
  });
}

int SqliteStore::forcedRefreshesOn(const std::string& app, const std::string& day) {
  return locked([&] {
    ForcedRefreshRow row;
    session_ << sql::kLoadRefreshRow, into(row.day), into(row.count), into(row.lastAtMs),
        useRef(app), now;
    return row.day == day ? row.count : 0;
  });
}

}  // namespace wxb
