#include "support/eventually.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace wxb::test {

bool eventually(const std::function<bool()>& done, int timeoutMs, int stepMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(stepMs));
  }
  return true;
}

void waitUntil(const std::function<bool()>& done, int timeoutMs, const std::string& what,
               int stepMs) {
  if (!eventually(done, timeoutMs, stepMs)) {
    throw std::runtime_error("timed out after " + std::to_string(timeoutMs) + " ms: " + what);
  }
}

}  // namespace wxb::test
