#include "bridge/cli/shutdown_signals.h"

#include <Poco/Logger.h>
#include <pthread.h>

#include <csignal>
#include <cstdlib>

namespace wxb {

namespace {

sigset_t stopSignals() {
  sigset_t stops;
  sigemptyset(&stops);
  sigaddset(&stops, SIGINT);
  sigaddset(&stops, SIGTERM);
  sigaddset(&stops, SIGQUIT);
  return stops;
}

}  // namespace

ShutdownSignals::ShutdownSignals() {
  sigset_t stops = stopSignals();
  pthread_sigmask(SIG_BLOCK, &stops, nullptr);
  waiter_ = std::thread(&ShutdownSignals::run, this);
}

ShutdownSignals::~ShutdownSignals() {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    wake = !stopRequested_;
  }
  // The waiter sits in sigwait(); a signal aimed at it alone ends that.
  if (wake) pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
}

void ShutdownSignals::started() {
  std::lock_guard lock(mutex_);
  started_ = true;
}

void ShutdownSignals::wait() {
  std::unique_lock lock(mutex_);
  requested_.wait(lock, [this] { return stopRequested_; });
}

void ShutdownSignals::run() {
  sigset_t stops = stopSignals();
  int signal = 0;
  sigwait(&stops, &signal);
  std::lock_guard lock(mutex_);
  if (closing_) return;
  if (!started_) {
    Poco::Logger::get("wxb.serve")
        .warning("signal %d during start-up: exiting now (nothing to drain yet)", signal);
    std::_Exit(0);
  }
  stopRequested_ = true;
  requested_.notify_all();
}

}  // namespace wxb
