#include "store/fire_log/fire_log.h"

#include "store/db/db.h"

namespace wxb {

// The statements whose SQL differs by dialect.
struct FireLogSql {
  Stmt<std::string, int64_t> record;
};

namespace {

const FireLogSql kSqlite{
    "INSERT INTO cron_fires(job, last_fire_at) VALUES(?, ?) ON CONFLICT(job) DO UPDATE SET"
    " last_fire_at = MAX(last_fire_at, excluded.last_fire_at)",
};
const FireLogSql kMysql{
    "INSERT INTO cron_fires(job, last_fire_at) VALUES(?, ?) ON DUPLICATE KEY UPDATE"
    " last_fire_at = GREATEST(last_fire_at, VALUES(last_fire_at))",
};

const Stmt<std::string> kLastFire = "SELECT last_fire_at FROM cron_fires WHERE job = ?";

}  // namespace

StoreFireLog::StoreFireLog(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

std::optional<int64_t> StoreFireLog::lastFireMs(const std::string& job) {
  return db_.queryOne<int64_t>(kLastFire, job);
}

void StoreFireLog::recordFireMs(const std::string& job, int64_t fireMs) {
  db_.exec(sql_.record, job, fireMs);
}

}  // namespace wxb
