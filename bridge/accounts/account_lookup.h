// AccountLookup: which OA openid a unionid has, and whether that person follows - the domain of
// GET /v1/accounts/{unionid} and POST /v1/accounts:lookup, without HTTP. Single lookups go
// through a LookupBatcher, so concurrent requests share one store query; a list goes to the
// store as one query. Built once by the wiring code; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/accounts/accounts.h"
#include "store/accounts/lookup_batcher.h"

namespace wxb {

// The answer to a list of unionids: the accounts known (in the store's order) and the unionids
// nobody has (in the order asked, each once).
struct AccountMatches {
  std::vector<Account> found;
  std::vector<std::string> missing;
};

class AccountLookup {
 public:
  // Single lookups share at most `maxQueries` store queries of up to `maxBatch` unionids each.
  AccountLookup(Accounts& accounts, int maxQueries, size_t maxBatch);

  // The account with this unionid; nullopt when nobody has it. Throws StoreUnavailable or
  // StoreError.
  std::optional<Account> find(const std::string& unionid);

  // Every distinct unionid of `unionids`, found or missing. Throws StoreUnavailable or
  // StoreError.
  AccountMatches findAll(const std::vector<std::string>& unionids);

 private:
  Accounts& accounts_;
  LookupBatcher batcher_;
};

}  // namespace wxb
