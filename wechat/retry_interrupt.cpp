#include "wechat/retry_interrupt.h"

#include <chrono>
#include <thread>

namespace wxb {

namespace {

thread_local const RetryInterrupt* currentInterrupt = nullptr;

}  // namespace

void RetryInterrupt::interrupt() {
  {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  fired_.notify_all();
}

void RetryInterrupt::reset() {
  std::lock_guard lock(mutex_);
  interrupted_ = false;
}

bool RetryInterrupt::interrupted() const {
  std::lock_guard lock(mutex_);
  return interrupted_;
}

bool RetryInterrupt::sleepFor(int64_t ms) const {
  std::unique_lock lock(mutex_);
  return !fired_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return interrupted_; });
}

const RetryInterrupt* RetryInterrupt::current() { return currentInterrupt; }

RetryInterrupt::Scope::Scope(const RetryInterrupt& interrupt) : previous_(currentInterrupt) {
  currentInterrupt = &interrupt;
}

RetryInterrupt::Scope::~Scope() { currentInterrupt = previous_; }

bool interruptibleSleep(int64_t ms) {
  if (const RetryInterrupt* interrupt = RetryInterrupt::current()) return interrupt->sleepFor(ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return true;
}

}  // namespace wxb
