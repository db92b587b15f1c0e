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
// StoreConfigError (key store.url) at once when an SQLite path cannot hold a database or a
// MySQL server logs in binlog_format=STATEMENT (log_bin ON), and StoreUnavailable when a MySQL
// server cannot be reached.
std::unique_ptr<Store> openStore(const StoreSettings& settings, const Clock& clock);

// Why an SQLite database cannot live at `path` (absolute), in the operating system's words,
// or nullopt: the folder cannot be created or written (the -wal and -shm files live there), the
// path is a folder, or the file exists but cannot be read and written. Creates the folder.
std::optional<std::string> sqlitePathProblem(const std::string& path);

}  // namespace wxb
