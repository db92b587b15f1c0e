// The store's exceptions. Expected outcomes (not found, lost a race) are return values; a store
// that cannot be reached throws StoreUnavailable, anything else unexpected throws StoreError.
// Messages name the backend and the error code, never a password or a token.
#pragma once

#include <stdexcept>

namespace wxb {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database is down or unreachable; HTTP maps this to 503 and jobs retry later.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace wxb
