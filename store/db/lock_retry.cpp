// pauseBeforeLockRetry (store/db/db.h): the random back-off between tries of a unit of work that
// lost a lock race.
#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "store/db/db.h"

namespace wxb {

void pauseBeforeLockRetry(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const int mostMs = 1 << std::clamp(attempt, 1, 6);
  std::uniform_int_distribution<int> pauseMs(1, mostMs);
  std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs(random)));
}

}  // namespace wxb
