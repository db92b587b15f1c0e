// LookupBatcher: concurrent lookups share batched queries, never more than maxQueries at once,
// every caller gets its own answer, and a failed query reaches each of its callers without
// costing the batcher a query slot.
#include "store/accounts/lookup_batcher.h"

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace wxb;

namespace {

// A store of accounts "known0".."known99" that answers slowly and records its calls.
class SlowStore {
 public:
  explicit SlowStore(int delayMs) : delayMs_(delayMs) {}

  std::vector<Account> findMany(const std::vector<std::string>& ids) {
    int now = ++running_;
    int seen = maxRunning_.load();
    while (now > seen && !maxRunning_.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs_.load()));
    {
      std::lock_guard lock(mutex_);
      batchSizes_.push_back(ids.size());
    }
    --running_;
    if (failing_) throw StoreUnavailable("the store is down");
    std::vector<Account> found;
    for (const auto& id : ids) {
      if (id.rfind("known", 0) == 0) found.push_back(Account{id, "oa_" + id, true, "", 1});
    }
    return found;
  }

  LookupBatcher::FindMany asFindMany() {
    return [this](const std::vector<std::string>& ids) { return findMany(ids); };
  }
  void fail(bool on) { failing_ = on; }
  // From now on each query takes `ms`, and maxRunning counts afresh.
  void slowDown(int ms) {
    delayMs_ = ms;
    maxRunning_ = 0;
  }
  int maxRunning() const { return maxRunning_; }
  std::vector<size_t> batchSizes() {
    std::lock_guard lock(mutex_);
    return batchSizes_;
  }

 private:
  std::atomic<int> delayMs_;
  std::atomic<int> running_{0};
  std::atomic<int> maxRunning_{0};
  std::atomic<bool> failing_{false};
  std::mutex mutex_;
  std::vector<size_t> batchSizes_;
};

// Runs `threads` callers with `perThread` lookups each; id(t, i) names each lookup.
template <typename Id, typename Check>
void hammer(int threads, int perThread, Id id, Check check) {
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < perThread; ++i) check(id(t, i));
    });
  }
  for (auto& c : callers) c.join();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lookup_batcher)

BOOST_AUTO_TEST_CASE(a_lone_lookup_runs_at_once_and_finds_known_and_unknown_ids) {
  SlowStore store(0);
  LookupBatcher batcher(store.asFindMany(), 2, 16);
  auto found = batcher.findByUnionid("known7");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->oaOpenid == "oa_known7");
  BOOST_TEST(!batcher.findByUnionid("stranger").has_value());
  BOOST_TEST(store.batchSizes() == (std::vector<size_t>{1, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(concurrent_lookups_share_queries_and_each_gets_its_own_answer) {
  SlowStore store(5);
  LookupBatcher batcher(store.asFindMany(), 2, 8);
  std::atomic<int> wrong{0};
  const int threads = 24, perThread = 20;
  hammer(
      threads, perThread,
      [](int t, int i) {
        return ((t + i) % 2 ? "known" : "unknown") + std::to_string(t * 100 + i);
      },
      [&](const std::string& id) {
        auto found = batcher.findByUnionid(id);
        bool known = id.rfind("known", 0) == 0;
        if (found.has_value() != known || (found && found->unionid != id)) ++wrong;
      });
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(store.maxRunning() <= 2);
  auto sizes = store.batchSizes();
  size_t looked = 0;
  for (size_t n : sizes) looked += n;
  BOOST_TEST(looked == static_cast<size_t>(threads * perThread));  // every id asked exactly once
  BOOST_TEST(*std::max_element(sizes.begin(), sizes.end()) <= 8u);
  BOOST_TEST(sizes.size() <
             static_cast<size_t>(threads * perThread) / 3);  // batched, not one by one
}

// No delay: arrivals race with hand-overs. A slot must be neither lost (lookups would run one
// at a time, or hang once every slot is gone) nor doubled (more queries than maxQueries).
// Several rounds, each ending with a check that both slots still exist.
BOOST_AUTO_TEST_CASE(racing_arrivals_and_hand_overs_keep_exactly_the_slots,
                     *boost::unit_test::timeout(60)) {
  for (int round = 0; round < 8; ++round) {
    SlowStore store(0);
    LookupBatcher batcher(store.asFindMany(), 2, 4);
    std::atomic<int> answered{0};
    auto answer = [&](const std::string& id) {
      if (batcher.findByUnionid(id)) ++answered;
    };
    hammer(
        32, 500, [](int t, int i) { return "known" + std::to_string((t * 7 + i) % 100); }, answer);
    BOOST_TEST(store.maxRunning() <= 2);
    // Both slots are still there: two slow lookups at once run side by side.
    store.slowDown(50);
    hammer(
        2, 1, [](int t, int) { return "known" + std::to_string(t); }, answer);
    BOOST_TEST(answered.load() == 32 * 500 + 2);
    BOOST_TEST(store.maxRunning() == 2, "round " << round);
  }
}

BOOST_AUTO_TEST_CASE(callers_asking_for_the_same_id_in_one_batch_share_one_row) {
  SlowStore store(5);
  LookupBatcher batcher(store.asFindMany(), 1, 64);
  std::atomic<int> found{0};
  hammer(
      16, 5, [](int, int) { return std::string("known1"); },
      [&](const std::string& id) {
        auto a = batcher.findByUnionid(id);
        if (a && a->unionid == "known1") ++found;
      });
  BOOST_TEST(found.load() == 80);
  for (size_t n : store.batchSizes()) BOOST_TEST(n == 1u);  // duplicates collapse to one id
}

BOOST_AUTO_TEST_CASE(a_failed_query_reaches_every_caller_and_frees_its_slot) {
  SlowStore store(5);
  LookupBatcher batcher(store.asFindMany(), 1, 64);
  store.fail(true);
  std::atomic<int> unavailable{0};
  hammer(
      8, 3, [](int t, int i) { return "known" + std::to_string(t * 10 + i); },
      [&](const std::string& id) {
        try {
          batcher.findByUnionid(id);
        } catch (const StoreUnavailable&) {
          ++unavailable;
        }
      });
  BOOST_TEST(unavailable.load() == 24);
  store.fail(false);
  BOOST_TEST(batcher.findByUnionid("known3").has_value());  // the single slot came back
}

BOOST_AUTO_TEST_CASE(sizes_below_one_are_refused) {
  SlowStore store(0);
  BOOST_CHECK_THROW(LookupBatcher(store.asFindMany(), 0, 8), std::invalid_argument);
  BOOST_CHECK_THROW(LookupBatcher(store.asFindMany(), 1, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
