// The store's exceptions. Expected outcomes (not found, lost a race) are return values; a store
// that cannot be reached throws StoreUnavailable, anything else unexpected throws StoreError.
// Messages name the backend and the error code, never a password or a token.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace wxb {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database is down or unreachable, or cannot take writes (a read-only file or server, a
// user without write privileges); HTTP maps this to 503 and jobs retry later.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// The store cannot be used as configured and waiting will not help: an SQLite path that is a
// folder, in a folder that cannot be created or written, or a file the process may not write; a
// MySQL server whose binary log is in statement format (store/db/mysql_db.h).
// The command line reports it as a configuration error of key() (exit 2); what() is the
// problem in the operating system's words.
class StoreConfigError : public StoreError {
 public:
  StoreConfigError(std::string key, const std::string& problem)
      : StoreError(problem), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

}  // namespace wxb
