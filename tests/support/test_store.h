// Test stores: a fresh, migrated store on the backend a test run asks for. The backend comes
// from WXB_TEST_BACKEND (sqlite or mysql); MySQL needs WXB_TEST_MYSQL_URL and
// WXB_TEST_MYSQL_PASSWORD (scripts/test sets them) and fails loudly without them: a MySQL test
// never passes by skipping. Each call makes a new database, so tests never see each other's rows.
// Includes every concern's header, so a test can use all of a Store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cron/clock.h"
#include "cron/scheduler.h"
#include "store/accounts/accounts.h"
#include "store/leases/leases.h"
#include "store/notifications/notifications.h"
#include "store/store.h"
#include "store/store_settings.h"
#include "store/sync_runs/sync_runs.h"
#include "store/tokens/tokens.h"

namespace wxb::test {

// Every backend, for the tests that run once on each (BOOST_DATA_TEST_CASE over it).
inline const std::vector<std::string> kBackends = {"sqlite", "mysql"};

// "sqlite" or "mysql", from WXB_TEST_BACKEND (default sqlite).
std::string backend();

// Settings for a new empty database on `backendName` (an SQLite file in a fresh temp folder,
// or a new MariaDB database). Throws std::runtime_error when MySQL is asked for but not set up.
StoreSettings freshStoreSettings(const std::string& backendName);

// A fresh database on `backendName`, migrated.
std::unique_ptr<Store> freshStore(const std::string& backendName);

// A migrated private in-memory SQLite store stamping times from `clock`, for handler tests.
std::unique_ptr<Store> memoryStore(const Clock& clock);

// Settings for a fresh database on `backendName`, migrated and closed again (for a wxbridge
// child process or a second store to open).
StoreSettings migratedStoreSettings(const std::string& backendName);

// The store.url value that points wxbridge at `settings` (without the password).
std::string storeUrl(const StoreSettings& settings);
// The system clock, for stores a test opens without driving time.
const Clock& wallClock();

// Runs `sql` (one statement, no parameters) on the database of `settings` through a connection
// of its own - for a test that breaks or mends a table behind a store's back.
void execSql(const StoreSettings& settings, const std::string& sql);

// MySQL settings for the throwaway server itself (database "wxbridge").
StoreSettings mysqlServerSettings();

// A MySQL user of its own for the database of `db` (from freshStoreSettings("mysql")), with
// SELECT and CREATE on the database and, when `writes`, INSERT/UPDATE/DELETE granted table by
// table (table grants reach open connections at once, so revokeWrites() bites a running serve).
// Returns `db` with that user and its password.
StoreSettings mysqlUserFor(const StoreSettings& db, bool writes);
// Takes the writes back from a user made by mysqlUserFor.
void revokeWrites(const StoreSettings& user);

}  // namespace wxb::test
