// Batcher<In, Out>: coalesces concurrent calls into batched runs - one store round trip (or one
// transaction) for many callers. A caller runs its own input at once while fewer than `maxRuns`
// batches are in flight; callers that arrive meanwhile queue. When a batch ends, its run slot
// passes to the first queued caller, which runs itself and up to maxBatch - 1 more queued
// callers as one runMany. Under light load nothing waits; under heavy load the store sees one
// run per batch instead of one per call, with no timer: a batch is whatever queued while the
// previous one ran. Users: the account lookups (store/accounts/lookup_batcher.h) and the intake
// of real-time events (Notices::addHeldEvent, a group commit). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

namespace wxb {

template <typename In, typename Out>
class Batcher {
 public:
  // Runs one batch: returns one Out per In, in order. What it throws reaches every caller of the
  // batch (a failed transaction fails them all: none of it was done).
  using RunMany = std::function<std::vector<Out>(std::span<const In>)>;

  // maxRuns: batches in flight at once (>= 1); maxBatch: callers per batch (>= 1). Throws
  // std::invalid_argument for sizes below 1.
  Batcher(RunMany runMany, int maxRuns, size_t maxBatch)
      : runMany_(std::move(runMany)), maxRuns_(maxRuns), maxBatch_(maxBatch) {
    if (maxRuns < 1 || maxBatch < 1) throw std::invalid_argument("batcher: sizes below 1");
  }

  // The Out runMany gave for `in`, run alone or with concurrent callers; rethrows what runMany
  // threw for its batch.
  Out call(In in) {
    auto me = std::make_shared<Waiter>(std::move(in));
    bool lead = false;
    {
      std::lock_guard lock(mutex_);
      if (running_ < maxRuns_) {
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
    return std::move(*me->output);
  }

 private:
  // One caller. A queued waiter leaves the queue exactly once: taken into a running batch (it
  // is then finished), or popped by handOver to run the next batch itself (it is then handed a
  // run slot). Shared ownership lets a runner signal it after the caller has returned.
  struct Waiter {
    explicit Waiter(In in) : input(std::move(in)) {}

    const In input;
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;  // output or error is set
    bool lead = false;  // handed a run slot: runs a batch, which passes the slot on
    std::optional<Out> output;
    std::exception_ptr error;

    void signal(bool Waiter::*flag) {
      {
        std::lock_guard lock(mutex);
        this->*flag = true;
      }
      wake.notify_one();
    }
    void finish(std::optional<Out> out, std::exception_ptr e) {
      output = std::move(out);
      error = std::move(e);
      signal(&Waiter::done);
    }
  };
  using Batch = std::vector<std::shared_ptr<Waiter>>;

  // Runs `first` and up to maxBatch - 1 queued callers in a slot the caller holds, answers them
  // all (with the error, whatever happens), then passes the slot on or frees it.
  void runBatch(const std::shared_ptr<Waiter>& first) {
    Batch batch;
    size_t finished = 0;
    try {
      batch.reserve(maxBatch_);
      batch.push_back(first);
      takeQueued(batch);
      answer(batch, finished);
    } catch (...) {  // out of memory: every caller not yet answered gets the error
      if (batch.empty()) first->finish(std::nullopt, std::current_exception());
      for (; finished < batch.size(); ++finished) {
        batch[finished]->finish(std::nullopt, std::current_exception());
      }
    }
    handOver();
  }

  void takeQueued(Batch& batch) {
    std::lock_guard lock(mutex_);
    while (!queue_.empty() && batch.size() < maxBatch_) {
      batch.push_back(std::move(queue_.front()));  // capacity is reserved: does not throw
      queue_.pop_front();
    }
  }

  // Runs the batch and answers batch[finished..], advancing `finished` as it goes.
  void answer(const Batch& batch, size_t& finished) {
    std::vector<In> inputs;
    inputs.reserve(batch.size());
    for (const auto& w : batch) inputs.push_back(w->input);
    std::vector<Out> outputs;
    std::exception_ptr error;
    try {
      outputs = runMany_(std::span<const In>(inputs));
      if (outputs.size() != batch.size()) throw std::logic_error("batcher: one answer per call");
    } catch (...) {
      error = std::current_exception();
    }
    for (; finished < batch.size(); ++finished) {
      std::optional<Out> out;
      if (!error) out.emplace(std::move(outputs[finished]));
      batch[finished]->finish(std::move(out), error);
    }
  }

  void handOver() {
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

  const RunMany runMany_;
  const int maxRuns_;
  const size_t maxBatch_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<Waiter>> queue_;
  int running_ = 0;
};

}  // namespace wxb
