// LookupBatcher: coalesces concurrent single-account lookups by unionid into one IN query.
// A caller runs its query at once while fewer than `maxQueries` batches are in flight; callers
// that arrive meanwhile queue. When a batch ends, its query slot passes to the first queued
// caller, which runs itself and up to maxBatch - 1 more queued callers as one findByUnionids.
// Under light load nothing waits; under heavy load the store sees one query per batch instead
// of one per request (docs/benchmarks.md, "lookup").
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/accounts/accounts.h"
#include "store/store_error.h"

namespace wxb {

class LookupBatcher {
 public:
  // Looks up a batch of distinct unionids: Accounts::findByUnionids in production.
  using FindMany = std::function<std::vector<Account>(const std::vector<std::string>&)>;

  LookupBatcher(FindMany findMany, int maxQueries, size_t maxBatch);

  // The account with this unionid, as Accounts::findByUnionid; rethrows the error findMany
  // threw (StoreUnavailable, StoreError) to every caller of the batch that met it.
  std::optional<Account> findByUnionid(const std::string& unionid);

 private:
  struct Waiter;
  // Runs `first` and up to maxBatch - 1 queued callers as one query in a slot the caller
  // holds, answers them all (with the error, whatever happens), then passes the slot to the
  // next queued caller or frees it.
  void runBatch(const std::shared_ptr<Waiter>& first);
  void takeQueued(std::vector<std::shared_ptr<Waiter>>& batch);
  // Queries the store and answers batch[finished..], advancing `finished` as it goes.
  void answer(const std::vector<std::shared_ptr<Waiter>>& batch, size_t& finished);
  void handOver();

  const FindMany findMany_;
  const int maxQueries_;
  const size_t maxBatch_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<Waiter>> queue_;
  int running_ = 0;
};

}  // namespace wxb
