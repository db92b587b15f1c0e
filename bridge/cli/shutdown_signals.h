// ShutdownSignals: how `wxbridge serve` hears SIGINT, SIGTERM and SIGQUIT, from its first moment to
// its last. The constructor blocks the three in the calling thread (threads started later
// inherit the mask, so no worker is ever interrupted) and starts a thread that waits for them.
// Until started() is called a stop request ends the process at once with exit 0: start-up may
// wait on a store or a port, and nothing has been accepted that would need draining. After
// started(), a stop request wakes wait() and serve drains. Used by cmd_serve.cpp only.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace wxb {

class ShutdownSignals {
 public:
  ShutdownSignals();
  ~ShutdownSignals();  // stops the waiting thread when no signal came
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Start-up is over: from now on a stop request means "drain".
  void started();
  // Blocks until a stop request arrives after started().
  void wait();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable requested_;
  bool started_ = false;
  bool stopRequested_ = false;
  bool closing_ = false;
  std::thread waiter_;
};

}  // namespace wxb
