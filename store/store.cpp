#include "store/store.h"

#include "store/db/db.h"

namespace wxb {

Store::Store(std::unique_ptr<Db> db) : db_(std::move(db)) {}

Store::~Store() = default;

std::string Store::dialect() const { return std::string(db_->dialect().name()); }

MigrationReport Store::migrate() { return wxb::migrate(*db_); }

bool Store::ping() {
  try {
    return db_->queryOne<int64_t>(Stmt<>("SELECT 1")) == 1;
  } catch (const StoreError&) {
    return false;
  }
}

}  // namespace wxb
