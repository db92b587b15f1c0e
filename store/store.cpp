#include "store/store.h"

#include "store/legacy_backend.h"

namespace wxb {

Store::Store(std::unique_ptr<LegacyBackend> backend) : backend_(std::move(backend)) {}

Store::~Store() = default;

std::string Store::dialect() const { return backend_->dialect(); }

MigrationReport Store::migrate() { return backend_->migrate(); }

bool Store::ping() { return backend_->ping(); }

Accounts& Store::accounts() { return *backend_; }

Leases& Store::leases() { return *backend_; }

Tokens& Store::tokens() { return *backend_; }

SyncRuns& Store::syncRuns() { return backend_->syncRuns(); }

Notifications& Store::notifications() { return backend_->notifications(); }

FireLog& Store::fireLog() { return *backend_; }

}  // namespace wxb
