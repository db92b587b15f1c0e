#include "notify/retention.h"

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

RetentionPurger::RetentionPurger(Notifications& notifications, Subscriptions& subscriptions,
                                 Leases& leases, const Clock& clock, int retentionDays,
                                 int chunkRows)
    : notifications_(notifications),
      subscriptions_(subscriptions),
      leases_(leases),
      clock_(clock),
      retentionMs_(checkedRetentionMs(retentionDays, chunkRows)),
      chunkRows_(chunkRows) {}

RetentionReport RetentionPurger::purge() {
  std::lock_guard one(passes_);
  const int64_t started = clock_.nowMs();
  RetentionReport report;
  Lease lease(leases_, clock_, kLease, kLeaseTtlMs);
  if (!lease) {
    report.busy = true;
    return report;
  }
  deleteChunks(started - retentionMs_, lease, report);
  report.durationMs = clock_.nowMs() - started;
  return report;
}

void RetentionPurger::deleteChunks(int64_t cutoffMs, Lease& lease, RetentionReport& report) {
  const int64_t deadline = clock_.nowMs() + kPassBudgetMs;
  for (;;) {
    PurgeCounts chunk = notifications_.purgeBefore(cutoffMs, chunkRows_);
    const int64_t reports = subscriptions_.purgeReportsBefore(cutoffMs, chunkRows_);
    report.messages += chunk.messages;
    report.events += chunk.events;
    report.reports += reports;
    if (chunk.messages < chunkRows_ && chunk.events < chunkRows_ && reports < chunkRows_) return;
    // Renewed each chunk: a slow chunk never lets a second instance start a pass meanwhile.
    if (clock_.nowMs() >= deadline || !lease.renew()) {
      report.complete = false;
      return;
    }
  }
}

}  // namespace wxb
