// RetryInterrupt: lets the owner of a worker thread cut short the retries of the platform calls
// that thread makes, so that stopping the worker does not wait for the retries of a platform
// that is gone. The OutboxSender owns one: each of its workers runs under a Scope of it, and
// stop() calls interrupt(). WechatClient (wechat/wechat_client.h) asks current() before each
// retry wait and gives up with the last error instead when the calling thread's interrupt has
// fired; its waits wake at once when it fires. A call already on the wire is not interrupted:
// its connect and read timeouts bound it. Thread-safe; a Scope belongs to its thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace wxb {

class RetryInterrupt {
 public:
  // From now on the waits of threads under this interrupt end at once, and their calls are not
  // retried, until reset().
  void interrupt();
  void reset();
  bool interrupted() const;
  // Waits `ms` milliseconds unless interrupted first (or already). Returns false if interrupted.
  bool sleepFor(int64_t ms) const;

  // The interrupt of the calling thread's scope; nullptr outside any scope.
  static const RetryInterrupt* current();

  // Puts the calling thread under `interrupt` for its lifetime (scopes nest).
  class Scope {
   public:
    explicit Scope(const RetryInterrupt& interrupt);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    const RetryInterrupt* previous_;
  };

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable fired_;
  bool interrupted_ = false;
};

// Sleeps `ms` milliseconds, or less when the calling thread's RetryInterrupt fires. Returns
// false if it fired.
bool interruptibleSleep(int64_t ms);

}  // namespace wxb
