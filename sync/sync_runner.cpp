#include "sync/sync_runner.h"

#include <Poco/Logger.h>

namespace wxb {

SyncRunner::SyncRunner(Accounts& accounts, SyncRuns& runs, Leases& leases, WechatClient& platform,
                       const Clock& clock, SyncSettings settings, SyncHooks hooks)
    : engine_(accounts, runs, leases, platform, clock, std::move(settings)),
      hooks_(std::move(hooks)) {}

SyncRunner::~SyncRunner() { stop("shutting down"); }

std::expected<std::unique_ptr<SyncJob>, LeaseHolder> SyncRunner::begin(bool restart) {
  // Called holding mutex_. A job clears current_ before it releases the lease, so once the
  // lease is ours the previous background thread has nothing left to do but exit.
  if (stopping_) return std::unexpected(LeaseHolder{"(this instance is stopping)", 0});
  auto job = engine_.begin(restart);
  if (!job) return job;
  // Only when a run's lease lapsed while it was still stopping; the new job lets go again.
  if (current_) return std::unexpected(LeaseHolder{"(a run of this instance is stopping)", 0});
  if (background_.joinable()) background_.join();
  current_ = job->get();
  return job;
}

SyncRun SyncRunner::finish(SyncJob& job, const SyncProgressFn& progress) {
  auto done = [&] {
    std::lock_guard lock(mutex_);
    current_ = nullptr;
  };
  SyncRun final;
  try {
    final = job.execute([&](const SyncProgress& p) {
      if (hooks_.onProgress) hooks_.onProgress(p);
      if (progress) progress(p);
    });
  } catch (...) {
    done();
    throw;
  }
  done();
  if (hooks_.onFinish) hooks_.onFinish(final);
  return final;
}

std::expected<SyncStarted, LeaseHolder> SyncRunner::start(bool restart) {
  std::lock_guard lock(mutex_);
  auto job = begin(restart);
  if (!job) return std::unexpected(job.error());
  SyncStarted started{(*job)->run(), (*job)->resumed()};
  background_ = std::thread([this, owned = std::move(*job)]() mutable {
    try {
      finish(*owned, {});
    } catch (const std::exception& e) {
      Poco::Logger::get("wxb.sync")
          .error("sync run %?d failed: %s", owned->run().id, std::string(e.what()));
    }
    owned.reset();  // releases the lease
  });
  return started;
}

std::expected<SyncRun, LeaseHolder> SyncRunner::runNow(bool restart,
                                                       const SyncProgressFn& progress) {
  std::unique_ptr<SyncJob> job;
  {
    std::lock_guard lock(mutex_);
    auto begun = begin(restart);
    if (!begun) return std::unexpected(begun.error());
    job = std::move(*begun);
  }
  return finish(*job, progress);
}

void SyncRunner::stop(const std::string& reason) {
  std::thread background;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (current_) current_->requestStop(reason);
    background.swap(background_);
  }
  if (background.joinable()) background.join();
}

}  // namespace wxb
