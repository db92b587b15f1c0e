#include "sync/sync_engine.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "sync/call_retry.h"
#include "sync/list_shortfall.h"
#include "sync/page_workers.h"

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.sync"); }

// last_error of a run whose list fell `missing` followers short of the platform's count.
std::string truncationNote(const SyncRun& run, int64_t missing) {
  return "the follower list ended after " + std::to_string(run.followers) +
         " followers but the platform counts " + std::to_string(run.total) + " (" +
         std::to_string(missing) + " missing, more than the " +
         std::to_string(tolerableShortfall(run.total)) +
         " tolerated): a truncated list, so followers not seen were not marked unsubscribed";
}

}  // namespace

SyncJob::SyncJob(Accounts& accounts, SyncRuns& runs, WechatClient& platform, const Clock& clock,
                 const SyncSettings& settings)
    : accounts_(accounts),
      runs_(runs),
      platform_(platform),
      clock_(clock),
      settings_(settings),
      // A burst of one call per worker lets a page start at once without exceeding the rate.
      limiter_(clock, settings.qps, std::min<double>(settings.qps, settings.concurrency)) {}

SyncJob::~SyncJob() = default;

void SyncJob::open(bool restart) {
  SyncRuns& runs = runs_;
  const std::string& owner = lease_->owner();
  auto unfinished = runs.unfinishedRun();
  if (unfinished && restart) {
    if (auto claimed = runs.claimRun(unfinished->id, owner, clock_.nowMs())) {
      claimed->state = SyncState::Abandoned;
      claimed->finishedAtMs = claimed->updatedAtMs = clock_.nowMs();
      claimed->lastError = "abandoned by a restart";
      runs.saveRun(*claimed);
      logger().information("sync run %?d abandoned (restart) after %?d of %?d followers",
                           claimed->id, claimed->followers, claimed->total);
    }
    unfinished.reset();
  }
  if (unfinished) {
    if (auto claimed = runs.claimRun(unfinished->id, owner, clock_.nowMs())) {
      run_ = *claimed;
      resumed_ = true;
      errors_ = run_.errors;
      logger().information("sync run %?d resumed at page %?d (%?d of %?d followers done)", run_.id,
                           run_.pages, run_.followers, run_.total);
      return;
    }
  }
  run_ = runs.startRun(owner, clock_.nowMs());
  logger().information("sync run %?d started", run_.id);
}

SyncRun SyncJob::execute(const SyncProgressFn& progress) {
  StopSignal::Scope scope(stop_);  // a stop cuts the retries of the client's calls short too
  sessionStartMs_ = clock_.nowMs();
  report(progress);
  try {
    PageWorkers workers(accounts_, runs_, platform_, settings_, limiter_, stop_, errors_);
    while (!finished_) {
      if (stop_.stopped()) {
        stopRun(SyncState::Interrupted, stop_.reason());
        break;
      }
      auto page = fetchPage();
      if (!page) break;
      PageTally tally;
      if (page->count > 0) {
        tally = workers.processPage(page->openids, clock_.nowMs());
        if (!tally.complete) {
          stopRun(SyncState::Interrupted, tally.fatal ? tally.fatal->describe() : stop_.reason());
          break;
        }
      }
      if (!checkpoint(*page, tally)) break;
      report(progress);
      if (page->last()) finishList();
    }
  } catch (const StoreError& e) {
    stopRun(SyncState::Interrupted, std::string("store: ") + e.what());
  }
  return run_;
}

std::optional<FollowerPage> SyncJob::fetchPage() {
  const std::string cursor = run_.nextOpenid;
  auto page = callWithRetry([&] { return platform_.getFollowers(cursor); }, settings_, limiter_,
                            stop_, errors_);
  if (page) return std::move(*page);
  if (stop_.stopped()) {
    stopRun(SyncState::Interrupted, stop_.reason());
  } else if (classifyFailure(page.error()) == FailureClass::Permanent) {
    // Resuming cannot fix a refused request; a new run starts from the top of the list.
    stopRun(SyncState::Failed, page.error().describe());
  } else {
    stopRun(SyncState::Interrupted, page.error().describe());
  }
  return std::nullopt;
}

bool SyncJob::checkpoint(const FollowerPage& page, const PageTally& tally) {
  run_.pages += 1;
  run_.followers += page.count;
  run_.total = page.total;
  run_.mapped += tally.mapped;
  run_.skipped += tally.skipped + page.dropped;  // a malformed openid is a follower not fetched
  run_.errors = errors_.load();
  if (!tally.lastError.empty()) run_.lastError = tally.lastError;
  // The end-of-list page has no cursor: keep the last one, so a resume after a kill right
  // here asks for the end again rather than starting over.
  if (!page.nextOpenid.empty()) run_.nextOpenid = page.nextOpenid;
  run_.updatedAtMs = clock_.nowMs();
  sessionFollowers_ += page.count;
  return save();
}

void SyncJob::finishList() {
  const int64_t now = clock_.nowMs();
  run_.state = endState();
  if (run_.state == SyncState::Completed) {
    run_.unsubscribed = runs_.markUnseenUnsubscribed(run_.startedAtMs, now);
  }
  run_.finishedAtMs = run_.updatedAtMs = now;
  finished_ = true;
  save();
  const double rate = SyncProgress{run_, sessionFollowers_, now - sessionStartMs_}.rate();
  logger().information(
      "sync run %?d %s: %?d pages, %?d followers, %?d mapped, %?d newly unsubscribed, "
      "%?d errors, %.2f s, %.0f followers/s",
      run_.id, std::string(syncStateName(run_.state)), run_.pages, run_.followers, run_.mapped,
      run_.unsubscribed, run_.errors, static_cast<double>(now - run_.startedAtMs) / 1000.0, rate);
}

SyncState SyncJob::endState() {
  // A list that fell short of the platform's count proves nothing about who left. Checked
  // first: it is the platform's fault, and no retry of ours would have helped.
  if (auto missing = listShortfall(run_.followers, run_.total)) {
    run_.lastError = truncationNote(run_, *missing);
    logger().warning("sync run %?d: %s", run_.id, run_.lastError);
    return SyncState::Truncated;
  }
  if (run_.skipped > 0) {
    logger().warning(
        "sync run %?d: %?d followers could not be fetched, so followers it did "
        "not see are not marked unsubscribed",
        run_.id, run_.skipped);
    return SyncState::Incomplete;
  }
  return SyncState::Completed;
}

void SyncJob::stopRun(SyncState state, const std::string& error) {
  const int64_t now = clock_.nowMs();
  run_.state = state;
  run_.lastError = error;
  run_.errors = errors_.load();
  run_.updatedAtMs = now;
  if (!isResumable(state)) run_.finishedAtMs = now;
  finished_ = true;
  logger().warning("sync run %?d %s at page %?d (%?d followers done): %s", run_.id,
                   std::string(syncStateName(state)), run_.pages, run_.followers, error);
  try {
    save();
  } catch (const StoreError& e) {
    logger().error("sync run %?d: cannot record its state (it stays resumable): %s", run_.id,
                   std::string(e.what()));
  }
}

bool SyncJob::save() {
  if (runs_.saveRun(run_)) return true;
  logger().error("sync run %?d was claimed by another instance; this one stops", run_.id);
  run_.state = SyncState::Interrupted;
  run_.lastError = "claimed by another instance";
  finished_ = true;
  return false;
}

void SyncJob::report(const SyncProgressFn& progress) {
  if (progress) progress(SyncProgress{run_, sessionFollowers_, clock_.nowMs() - sessionStartMs_});
}

SyncEngine::SyncEngine(Accounts& accounts, SyncRuns& runs, Leases& leases, WechatClient& platform,
                       const Clock& clock, SyncSettings settings)
    : accounts_(accounts),
      runs_(runs),
      leases_(leases),
      platform_(platform),
      clock_(clock),
      settings_(std::move(settings)) {}

std::expected<std::unique_ptr<SyncJob>, LeaseHolder> SyncEngine::begin(bool restart) {
  auto job = std::make_unique<SyncJob>(accounts_, runs_, platform_, clock_, settings_);
  auto lease = std::make_unique<Lease>(leases_, clock_, kLease, settings_.leaseTtlMs);
  if (!lease->held()) return std::unexpected(*lease->holder());
  lease->keepAlive([stop = &job->stop_](const std::string& reason) { stop->request(reason); });
  job->lease_ = std::move(lease);
  job->open(restart);
  return job;
}

}  // namespace wxb
