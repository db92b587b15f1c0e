#include "store/lookup_batcher.h"

#include <condition_variable>
#include <exception>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wxb {

// One caller's lookup. Its own mutex keeps the hand-over of a result off the batcher's lock;
// shared ownership lets a batch runner signal it after the caller has returned.
struct LookupBatcher::Waiter {
  explicit Waiter(const std::string& id) : unionid(id) {}

  const std::string unionid;
  std::mutex mutex;
  std::condition_variable wake;
  bool done = false;  // account and error are set
  int slots = 0;      // query slots handed to this caller: each must run a batch (and pass it on)
  std::optional<Account> account;
  std::exception_ptr error;

  void finish() {
    {
      std::lock_guard lock(mutex);
      done = true;
    }
    wake.notify_one();
  }
  void giveSlot() {
    {
      std::lock_guard lock(mutex);
      ++slots;
    }
    wake.notify_one();
  }
};

LookupBatcher::LookupBatcher(FindMany findMany, int maxQueries, size_t maxBatch)
    : findMany_(std::move(findMany)), maxQueries_(maxQueries), maxBatch_(maxBatch) {
  if (maxQueries < 1 || maxBatch < 1) throw std::invalid_argument("lookup batcher: sizes below 1");
}

std::optional<Account> LookupBatcher::findByUnionid(const std::string& unionid) {
  auto me = std::make_shared<Waiter>(unionid);
  bool freeSlot = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(me);
    if (running_ < maxQueries_) {
      ++running_;
      freeSlot = true;
    }
  }
  if (freeSlot) me->giveSlot();
  std::unique_lock lock(me->mutex);
  for (;;) {
    me->wake.wait(lock, [&] { return me->done || me->slots > 0; });
    if (me->slots == 0) break;
    // Slots first, even when done: a slot that is not passed on would be lost for good.
    --me->slots;
    lock.unlock();
    runBatch();
    lock.lock();
  }
  if (me->error) std::rethrow_exception(me->error);
  return std::move(me->account);
}

std::vector<std::shared_ptr<LookupBatcher::Waiter>> LookupBatcher::takeBatch() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Waiter>> batch;
  while (!queue_.empty() && batch.size() < maxBatch_) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void LookupBatcher::runBatch() {
  auto batch = takeBatch();
  std::vector<std::string> ids;
  std::unordered_map<std::string_view, size_t> index;  // unionid -> position in `found`
  for (const auto& w : batch) {
    if (index.emplace(w->unionid, 0).second) ids.push_back(w->unionid);
  }
  std::vector<Account> found;
  std::exception_ptr error;
  try {
    if (!ids.empty()) found = findMany_(ids);
  } catch (...) {
    error = std::current_exception();
  }
  index.clear();
  for (size_t i = 0; i < found.size(); ++i) index.emplace(found[i].unionid, i);
  for (const auto& w : batch) {
    w->error = error;
    if (auto hit = index.find(w->unionid); hit != index.end()) w->account = found[hit->second];
    w->finish();
  }
  handOver();
}

void LookupBatcher::handOver() {
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      --running_;
      return;
    }
    next = queue_.front();
  }
  next->giveSlot();
}

}  // namespace wxb
