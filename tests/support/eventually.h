// Polling for tests that wait on another thread or process. eventually() answers whether a
// condition came true in time (for a BOOST_TEST); waitUntil() throws naming what did not
// happen (for waits a test cannot go on without). Both block the calling thread only.
#pragma once

#include <functional>
#include <string>

namespace wxb::test {

// Calls done() every stepMs milliseconds until it returns true or timeoutMs have passed;
// returns its last answer.
bool eventually(const std::function<bool()>& done, int timeoutMs = 2000, int stepMs = 1);

// eventually(), but throws std::runtime_error("timed out after N ms: " + what) when `done`
// never held.
void waitUntil(const std::function<bool()>& done, int timeoutMs, const std::string& what,
               int stepMs = 5);

}  // namespace wxb::test
