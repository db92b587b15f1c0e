// StoreSettings: where the store lives, parsed from `store.url` (+ `store.password`,
// `store.pool_size`, `store.connect_timeout_ms`) by the configuration loader. openStore() takes
// it. A plain value type.
#pragma once

#include <optional>
#include <string>

namespace wxb {

struct StoreSettings {
  enum class Kind { Sqlite, Mysql };
  Kind kind = Kind::Sqlite;
  std::string sqlitePath = "var/wxbridge.db";  // ":memory:" for a private in-memory database
  std::string host;
  int port = 3306;
  std::string user;
  std::string password;  // secret: never logged
  std::string database;
  int poolSize = 8;
  int connectTimeoutMs = 3000;
  int readTimeoutMs = 30000;
};

// Parses `sqlite:PATH` or `mysql://USER@HOST:PORT/DB` into `out` (other fields untouched).
// Returns an error sentence (without the URL's secrets) or nullopt on success.
std::optional<std::string> parseStoreUrl(const std::string& url, StoreSettings& out);

}  // namespace wxb
