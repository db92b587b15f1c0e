#include "store/store.h"

#include "store/db/db.h"

namespace wxb {

Store::Store(std::unique_ptr<Db> db) : db_(std::move(db)) {}

Store::~Store() = default;

std::string Store::dialect() const { return std::string(db_->dialect().name()); }

MigrationReport Store::migrate() { return wxb::migrate(*db_); }

namespace {

// Readiness: a write that matches no row (no lease is named ""), so it changes nothing but
// fails on a store that cannot take writes.
const Stmt<std::string> kWriteProbe = "UPDATE leases SET expires_at = expires_at WHERE name = ?";

}  // namespace

std::optional<std::string> Store::whyNotReady() {
  try {
    db_->exec(kWriteProbe, std::string());
    return std::nullopt;
  } catch (const StoreError& e) {
    return std::string(e.what());
  }
}

}  // namespace wxb
