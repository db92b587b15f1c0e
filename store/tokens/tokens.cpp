#include "store/tokens/tokens.h"

#include "store/db/db.h"
#include "store/tokens/forced_refresh.h"

namespace wxb {

// The statements whose SQL differs by dialect.
struct TokensSql {
  Stmt<std::string, std::string, int64_t, int64_t> insertFirst;  // app, token, expiry, fetched
  Stmt<std::string> ensureRefreshRow;
  // Reads the app's refresh row for a read-modify-write: locked on MySQL; SQLite's write
  // transaction is the lock.
  Stmt<std::string> lockRefreshRow;
};

namespace {

#define WXB_INSERT_TOKEN \
  " INTO tokens(app, access_token, expires_at, fetched_at, version) VALUES(?, ?, ?, ?, 1)"
#define WXB_INSERT_REFRESH_ROW " INTO token_refreshes(app, day, count, last_at) VALUES(?, '', 0, 0)"
#define WXB_REFRESH_ROW "SELECT day, count, last_at FROM token_refreshes WHERE app = ?"
const TokensSql kSqlite{
    "INSERT OR IGNORE" WXB_INSERT_TOKEN,
    "INSERT OR IGNORE" WXB_INSERT_REFRESH_ROW,
    WXB_REFRESH_ROW,
};
const TokensSql kMysql{
    "INSERT IGNORE" WXB_INSERT_TOKEN,
    "INSERT IGNORE" WXB_INSERT_REFRESH_ROW,
    WXB_REFRESH_ROW " FOR UPDATE",
};

// The statements both dialects write the same way.
const Stmt<std::string> kLoad =
    "SELECT app, access_token, expires_at, fetched_at, version FROM tokens WHERE app = ?";
const Stmt<std::string, int64_t, int64_t, std::string, int64_t> kUpdate =
    "UPDATE tokens SET access_token = ?, expires_at = ?, fetched_at = ?, version = version + 1"
    " WHERE app = ? AND version = ?";
const Stmt<std::string, std::string> kExpire =
    "UPDATE tokens SET expires_at = 0 WHERE app = ? AND access_token = ? AND expires_at <> 0";
const Stmt<std::string> kLoadRefreshRow = WXB_REFRESH_ROW;
const Stmt<std::string, int, int64_t, std::string> kStoreRefreshRow =
    "UPDATE token_refreshes SET day = ?, count = ?, last_at = ? WHERE app = ?";

#undef WXB_INSERT_TOKEN
#undef WXB_INSERT_REFRESH_ROW
#undef WXB_REFRESH_ROW

}  // namespace

template <>
struct RowReader<StoredToken> {
  static StoredToken read(const Row& r) {
    return StoredToken{r.text(0), r.text(1), r.int64(2), r.int64(3), r.int64(4)};
  }
};

template <>
struct RowReader<ForcedRefreshRow> {
  static ForcedRefreshRow read(const Row& r) {
    return ForcedRefreshRow{r.text(0), r.integer(1), r.int64(2)};
  }
};

Tokens::Tokens(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

std::optional<StoredToken> Tokens::load(const std::string& app) {
  return db_.queryOne<StoredToken>(kLoad, app);
}

std::optional<int64_t> Tokens::save(const std::string& app, const std::string& token,
                                    int64_t expiresAtMs, int64_t fetchedAtMs,
                                    int64_t expectedVersion) {
  const int64_t changed =
      expectedVersion == 0
          ? db_.exec(sql_.insertFirst, app, token, expiresAtMs, fetchedAtMs)
          : db_.exec(kUpdate, token, expiresAtMs, fetchedAtMs, app, expectedVersion);
  if (changed != 1) return std::nullopt;
  return expectedVersion + 1;
}

bool Tokens::expire(const std::string& app, const std::string& deadToken) {
  return db_.exec(kExpire, app, deadToken) == 1;
}

bool Tokens::tryCountForcedRefresh(const std::string& app, const std::string& day, int64_t nowMs,
                                   int64_t minGapMs, int maxPerDay) {
  db_.exec(sql_.ensureRefreshRow, app);
  return db_.transaction([&](Session& s) {
    auto row = s.queryOne<ForcedRefreshRow>(sql_.lockRefreshRow, app);
    auto next =
        countForcedRefresh(row.value_or(ForcedRefreshRow{}), day, nowMs, minGapMs, maxPerDay);
    if (!next) return false;
    s.exec(kStoreRefreshRow, next->day, next->count, next->lastAtMs, app);
    return true;
  });
}

int Tokens::forcedRefreshesOn(const std::string& app, const std::string& day) {
  auto row = db_.queryOne<ForcedRefreshRow>(kLoadRefreshRow, app);
  return row && row->day == day ? row->count : 0;
}

}  // namespace wxb
