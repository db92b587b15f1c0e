// openStore: opens the store StoreSettings names. Called once by the wiring code (the binaries,
// tests); the Store it returns is shared by every thread.
#pragma once

#include <memory>

#include "cron/clock.h"
#include "store/store.h"
#include "store/store_settings.h"

namespace wxb {

// Opens (creating an SQLite file and its folder when needed) without migrating. `clock` stamps
// what the store records on its own (applied migrations) and must outlive the store. Throws
// StoreUnavailable when a MySQL server cannot be reached.
std::unique_ptr<Store> openStore(const StoreSettings& settings, const Clock& clock);

}  // namespace wxb
