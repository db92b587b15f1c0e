#include "store/accounts/lookup_batcher.h"

#include <condition_variable>
#include <exception>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace wxb {

// One caller's lookup. A queued waiter leaves the queue exactly once: taken into a running
// batch (it is then finished), or popped by handOver to run the next batch itself (it is then
// handed a query slot). Shared ownership lets a runner signal it after the caller has returned.
struct LookupBatcher::Waiter {
  explicit Waiter(const std::string& id) : unionid(id) {}

  const std::string unionid;
  std::mutex mutex;
  std::condition_variable wake;
  bool done = false;  // account and error are set
  bool lead = false;  // handed a query slot: runs a batch, which passes the slot on
  std::optional<Account> account;
  std::exception_ptr error;

  void signal(bool Waiter::*flag) {
    {
      std::lock_guard lock(mutex);
      this->*flag = true;
    }
    wake.notify_one();
  }
  void fail(std::exception_ptr e) {
    error = std::move(e);
    signal(&Waiter::done);
  }
};

LookupBatcher::LookupBatcher(FindMany findMany, int maxQueries, size_t maxBatch)
    : findMany_(std::move(findMany)), maxQueries_(maxQueries), maxBatch_(maxBatch) {
  if (maxQueries < 1 || maxBatch < 1) throw std::invalid_argument("lookup batcher: sizes below 1");
}

std::optional<Account> LookupBatcher::findByUnionid(const std::string& unionid) {
  auto me = std::make_shared<Waiter>(unionid);
  bool lead = false;
  {
    std::lock_guard lock(mutex_);
    if (running_ < maxQueries_) {
      ++running_;
      lead = true;
    } else {
      queue_.push_back(me);
    }
  }
  if (!lead) {
    std::unique_lock lock(me->mutex);
    me->wake.wait(lock, [&] { return me->done || me->lead; });
    lead = me->lead;
  }
  if (lead) runBatch(me);
  if (me->error) std::rethrow_exception(me->error);
  return std::move(me->account);
}

void LookupBatcher::runBatch(const std::shared_ptr<Waiter>& first) {
  std::vector<std::shared_ptr<Waiter>> batch;
  size_t finished = 0;
  try {
    batch.reserve(maxBatch_);
    batch.push_back(first);
    takeQueued(batch);
    answer(batch, finished);
  } catch (...) {  // out of memory: every caller not yet answered gets the error
    if (batch.empty()) first->fail(std::current_exception());
    for (; finished < batch.size(); ++finished) batch[finished]->fail(std::current_exception());
  }
  handOver();
}

void LookupBatcher::takeQueued(std::vector<std::shared_ptr<Waiter>>& batch) {
  std::lock_guard lock(mutex_);
  while (!queue_.empty() && batch.size() < maxBatch_) {
    batch.push_back(std::move(queue_.front()));  // capacity is reserved: does not throw
    queue_.pop_front();
  }
}

void LookupBatcher::answer(const std::vector<std::shared_ptr<Waiter>>& batch, size_t& finished) {
  std::vector<std::string> ids;
  std::unordered_map<std::string_view, size_t> index;  // unionid -> position in `found`
  for (const auto& w : batch) {
    if (index.emplace(w->unionid, 0).second) ids.push_back(w->unionid);
  }
  std::vector<Account> found;
  std::exception_ptr error;
  try {
    found = findMany_(ids);
  } catch (...) {
    error = std::current_exception();
  }
  index.clear();
  for (size_t i = 0; i < found.size(); ++i) index.emplace(found[i].unionid, i);
  for (; finished < batch.size(); ++finished) {
    Waiter& w = *batch[finished];
    w.error = error;
    if (auto hit = index.find(w.unionid); hit != index.end()) w.account = found[hit->second];
    w.signal(&Waiter::done);
  }
}

void LookupBatcher::handOver() {
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      --running_;
      return;
    }
    // Off the queue before it is signalled: no other batch can take (and finish) it, so it
    // is sure to see the slot.
    next = std::move(queue_.front());
    queue_.pop_front();
  }
  next->signal(&Waiter::lead);
}

}  // namespace wxb
