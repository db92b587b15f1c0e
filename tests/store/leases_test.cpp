// Store contract: leases, including several processes racing for one. SQLite and MariaDB.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "cron/clock.h"
#include "store/open_store.h"
#include "support/store_fixture.h"

namespace wxb::test {

BOOST_FIXTURE_TEST_SUITE(store_leases, StoreFixture)

BOOST_AUTO_TEST_CASE(free_lease_is_taken_and_held_against_others) {
  BOOST_TEST(store->leases().tryAcquire("sync", "a", 10'000, 1'000));
  BOOST_TEST(!store->leases().tryAcquire("sync", "b", 10'000, 2'000));
  auto holder = store->leases().holder("sync", 2'000);
  BOOST_REQUIRE(holder);
  BOOST_TEST(holder->owner == "a");
  BOOST_TEST(holder->expiresAtMs == 11'000);
}

BOOST_AUTO_TEST_CASE(holder_renews_and_extends_expiry) {
  BOOST_TEST(store->leases().tryAcquire("sync", "a", 10'000, 1'000));
  BOOST_TEST(store->leases().tryAcquire("sync", "a", 10'000, 9'000));
  BOOST_TEST(!store->leases().tryAcquire("sync", "b", 10'000, 12'000));
  BOOST_TEST(store->leases().holder("sync", 12'000)->expiresAtMs == 19'000);
}

BOOST_AUTO_TEST_CASE(expired_lease_passes_to_another_owner) {
  BOOST_TEST(store->leases().tryAcquire("sync", "a", 10'000, 1'000));
  BOOST_TEST(store->leases().tryAcquire("sync", "b", 10'000, 11'000));
  BOOST_TEST(store->leases().holder("sync", 11'001)->owner == "b");
  BOOST_TEST(!store->leases().tryAcquire("sync", "a", 10'000, 12'000));
}

BOOST_AUTO_TEST_CASE(released_lease_is_free_and_release_by_others_is_ignored) {
  BOOST_TEST(store->leases().tryAcquire("sync", "a", 10'000, 1'000));
  store->leases().release("sync", "b");
  BOOST_TEST(store->leases().holder("sync", 2'000)->owner == "a");
  store->leases().release("sync", "a");
  BOOST_TEST(!store->leases().holder("sync", 2'000).has_value());
  BOOST_TEST(store->leases().tryAcquire("sync", "b", 10'000, 2'000));
}

BOOST_AUTO_TEST_CASE(leases_are_independent_by_name) {
  BOOST_TEST(store->leases().tryAcquire("sync", "a", 10'000, 1'000));
  BOOST_TEST(store->leases().tryAcquire("token.oa", "b", 10'000, 1'000));
}

// Four processes race for one short lease for ~1.5 s, each logging the intervals it held it
// (from the moment it won to the expiry it wrote) and letting it lapse now and then. Intervals
// of different owners must never overlap, and the lease must actually change hands.
BOOST_AUTO_TEST_CASE(processes_racing_for_a_lease_hold_it_one_at_a_time) {
  auto dir = std::filesystem::temp_directory_path() / ("wxb-lease-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  constexpr int kProcesses = 4;
  constexpr int64_t kTtl = 40;
  bool ok = runInProcesses(kProcesses, [&](int index) {
    auto own = openStore(settings, wallClock());
    SystemClock clock;
    std::ofstream log(dir / std::to_string(index));
    int wins = 0;
    for (int64_t end = clock.nowMs() + 1500; clock.nowMs() < end;) {
      int64_t now = clock.nowMs();
      if (own->leases().tryAcquire("race", "p" + std::to_string(index), kTtl, now)) {
        log << now << " " << now + kTtl << "\n";
        // Every third win, let the lease lapse so that another process can take it.
        int pause = ++wins % 3 == 0 ? 2 * kTtl : kTtl / 2;
        std::this_thread::sleep_for(std::chrono::milliseconds(pause));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return 0;
  });
  BOOST_REQUIRE(ok);
  struct Held {
    int64_t from, to;
    int owner;
  };
  std::vector<Held> held;
  for (int i = 0; i < kProcesses; ++i) {
    std::ifstream in(dir / std::to_string(i));
    for (int64_t from, to; in >> from >> to;) held.push_back({from, to, i});
  }
  std::set<int> owners;
  int overlaps = 0;
  for (size_t i = 0; i < held.size(); ++i) {
    owners.insert(held[i].owner);
    for (size_t j = 0; j < held.size(); ++j) {
      bool overlap = held[j].from < held[i].to && held[i].from < held[j].to;
      if (held[i].owner != held[j].owner && overlap) ++overlaps;
    }
  }
  BOOST_TEST(overlaps == 0);
  BOOST_TEST(held.size() > 10u);
  BOOST_TEST(owners.size() > 1u);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
