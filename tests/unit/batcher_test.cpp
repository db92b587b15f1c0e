// Batcher: every caller gets the answer for its own input, whichever batch it went in; a batch
// that fails (or answers the wrong number of calls) fails every caller of it, and the batcher
// goes on serving later calls.
#include "store/db/batcher.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace wxb;

namespace {

// Runs `threads` callers with `perThread` calls each; body(t, i) makes each call.
template <typename Body>
void hammer(int threads, int perThread, Body body) {
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < perThread; ++i) body(t, i);
    });
  }
  for (auto& c : callers) c.join();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batcher)

BOOST_AUTO_TEST_CASE(every_caller_gets_its_own_answer_and_batches_form_under_load) {
  std::atomic<int> runs{0}, largest{0};
  Batcher<int, int> b(
      [&](std::span<const int> in) {
        ++runs;
        largest = std::max(largest.load(), static_cast<int>(in.size()));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::vector<int> out;
        for (int v : in) out.push_back(v * 2);
        return out;
      },
      1, 16);
  std::atomic<int> wrong{0};
  hammer(8, 25, [&](int t, int i) {
    const int v = t * 1000 + i;
    if (b.call(v) != v * 2) ++wrong;
  });
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(runs.load() < 200);  // callers shared runs
  BOOST_TEST(largest.load() <= 16);
}

BOOST_AUTO_TEST_CASE(a_failed_batch_fails_each_of_its_callers_and_later_calls_succeed) {
  std::atomic<bool> failing{true};
  Batcher<int, int> b(
      [&](std::span<const int> in) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (failing) throw std::runtime_error("commit failed");
        return std::vector<int>(in.begin(), in.end());
      },
      2, 8);
  std::atomic<int> failed{0};
  hammer(6, 10, [&](int, int i) {
    try {
      b.call(i);
    } catch (const std::runtime_error&) {
      ++failed;
    }
  });
  BOOST_TEST(failed.load() == 60);
  failing = false;
  BOOST_TEST(b.call(7) == 7);
}

BOOST_AUTO_TEST_CASE(a_batch_that_answers_the_wrong_number_of_calls_fails_them_all) {
  using IntBatcher = Batcher<int, int>;
  auto none = [](std::span<const int>) { return std::vector<int>{}; };
  IntBatcher b(none, 1, 4);
  BOOST_CHECK_THROW(b.call(1), std::logic_error);
  BOOST_CHECK_THROW(IntBatcher(none, 0, 4), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
