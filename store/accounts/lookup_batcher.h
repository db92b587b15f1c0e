// LookupBatcher: coalesces concurrent single-account lookups by unionid into one IN query,
// through the store's Batcher (store/db/batcher.h): a caller runs its query at once while fewer
// than `maxQueries` batches are in flight; callers that arrive meanwhile queue and go together
// as one findByUnionids of their distinct unionids (at most maxBatch callers). Under light load
// nothing waits; under heavy load the store sees one query per batch instead of one per request
// (docs/benchmarks.md, "lookup"). Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/accounts/accounts.h"
#include "store/db/batcher.h"
#include "store/store_error.h"

namespace wxb {

class LookupBatcher {
 public:
  // Looks up a batch of distinct unionids: Accounts::findByUnionids in production.
  using FindMany = std::function<std::vector<Account>(const std::vector<std::string>&)>;

  // Throws std::invalid_argument when maxQueries or maxBatch is below 1.
  LookupBatcher(FindMany findMany, int maxQueries, size_t maxBatch);

  // The account with this unionid, as Accounts::findByUnionid; rethrows the error findMany
  // threw (StoreUnavailable, StoreError) to every caller of the batch that met it.
  std::optional<Account> findByUnionid(const std::string& unionid);

 private:
  Batcher<std::string, std::optional<Account>> batcher_;
};

}  // namespace wxb
