#include "store/leases/leases.h"

#include "store/db/db.h"

namespace wxb {

// The statements whose SQL differs by dialect: the upsert that takes a free or expired lease,
// or renews it for its owner (parameters: name, owner, new expiry, now).
struct LeasesSql {
  Stmt<std::string, std::string, int64_t, int64_t> upsert;
};

namespace {

#define WXB_INSERT_LEASE "INSERT INTO leases(name, owner, expires_at) VALUES(?, ?, ?)"
const LeasesSql kSqlite{
    WXB_INSERT_LEASE
    " ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
    " WHERE leases.owner = excluded.owner OR leases.expires_at <= ?",
};
// MySQL applies the assignments left to right: the second IF sees the owner the first one set,
// so the expiry moves only when the lease is (now) ours.
const LeasesSql kMysql{
    WXB_INSERT_LEASE
    " ON DUPLICATE KEY UPDATE"
    " owner = IF(owner = VALUES(owner) OR expires_at <= ?, VALUES(owner), owner),"
    " expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)",
};
#undef WXB_INSERT_LEASE

// The statements both dialects write the same way.
const Stmt<std::string, std::string, int64_t> kHeldBy =
    "SELECT COUNT(*) FROM leases WHERE name = ? AND owner = ? AND expires_at = ?";
const Stmt<std::string, std::string> kRelease =
    "UPDATE leases SET expires_at = 0 WHERE name = ? AND owner = ?";
const Stmt<std::string, int64_t> kHolder =
    "SELECT owner, expires_at FROM leases WHERE name = ? AND expires_at > ?";

}  // namespace

template <>
struct RowReader<LeaseHolder> {
  static LeaseHolder read(const Row& r) { return LeaseHolder{r.text(0), r.int64(1)}; }
};

Leases::Leases(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

bool Leases::tryAcquire(const std::string& name, const std::string& owner, int64_t ttlMs,
                        int64_t nowMs) {
  const int64_t expires = nowMs + ttlMs;
  return db_.session([&](Session& s) {
    s.exec(sql_.upsert, name, owner, expires, nowMs);
    return s.queryOne<int64_t>(kHeldBy, name, owner, expires) == 1;
  });
}

void Leases::release(const std::string& name, const std::string& owner) {
  db_.exec(kRelease, name, owner);
}

std::optional<LeaseHolder> Leases::holder(const std::string& name, int64_t nowMs) {
  return db_.queryOne<LeaseHolder>(kHolder, name, nowMs);
}

}  // namespace wxb
