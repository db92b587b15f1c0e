#include "notify/retention.h"

#include <Poco/Environment.h>
#include <unistd.h>

#include <stdexcept>

namespace wxb {

namespace {

constexpr int64_t kDayMs = 86'400'000;
// Longer than a pass (its budget plus one slow chunk), so the lease never lapses mid-pass.
constexpr int64_t kLeaseTtlMs = 60'000;

int64_t checkedRetentionMs(int retentionDays, int chunkRows) {
  if (retentionDays < 1 || chunkRows < 1) {
    throw std::invalid_argument("retention: days and chunk rows must be at least 1");
  }
  return retentionDays * kDayMs;
}

}  // namespace

RetentionPurger::RetentionPurger(Store& store, const Clock& clock, int retentionDays, int chunkRows)
    : store_(store),
      clock_(clock),
      retentionMs_(checkedRetentionMs(retentionDays, chunkRows)),
      chunkRows_(chunkRows),
      owner_(Poco::Environment::nodeName() + ":" + std::to_string(getpid()) + ":retention") {}

RetentionReport RetentionPurger::purge() {
  std::lock_guard one(passes_);
  const int64_t started = clock_.nowMs();
  RetentionReport report;
  if (!store_.tryAcquireLease(kLease, owner_, kLeaseTtlMs, started)) {
    report.busy = true;
    return report;
  }
  try {
    deleteChunks(started - retentionMs_, report);
  } catch (...) {
    store_.releaseLease(kLease, owner_);
    throw;
  }
  store_.releaseLease(kLease, owner_);
  report.durationMs = clock_.nowMs() - started;
  return report;
}

void RetentionPurger::deleteChunks(int64_t cutoffMs, RetentionReport& report) {
  const int64_t deadline = clock_.nowMs() + kPassBudgetMs;
  NotifyStore& notify = store_.notifications();
  for (;;) {
    PurgeCounts chunk = notify.purgeBefore(cutoffMs, chunkRows_);
    report.messages += chunk.messages;
    report.events += chunk.events;
    if (chunk.messages < chunkRows_ && chunk.events < chunkRows_) return;
    // Renewed each chunk: a slow chunk never lets a second instance start a pass meanwhile.
    if (clock_.nowMs() >= deadline ||
        !store_.tryAcquireLease(kLease, owner_, kLeaseTtlMs, clock_.nowMs())) {
      report.complete = false;
      return;
    }
  }
}

}  // namespace wxb
