// Retention: deletes the notification rows nobody needs any more - outbox messages final for
// longer than notify.retention_days, events read that long ago, and the report ids of POST
// /v1/subscriptions recorded that long ago (a retry later than that counts again) - so that the
// tables, and the per-state count /metrics reads, stop growing. Messages pending, being sent or
// still to be resent, and unread events, are kept however old.
//
// Called by the hourly retention job of `wxbridge serve` (bridge/app/jobs_notify.cpp); every
// instance fires it, and the store lease "notify.retention" lets one process purge at a time
// (the others find it busy). A pass deletes in chunks of chunkRows, each a short transaction of
// its own, and stops after kPassBudgetMs, so that a large backlog never holds up a shutdown: the
// next pass goes on where it stopped. Thread-safe; passes of one purger take turns.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "cron/clock.h"
#include "store/leases/lease.h"
#include "store/notifications/notifications.h"
#include "store/subscriptions/subscriptions.h"

namespace wxb {

struct RetentionReport {
  int64_t messages = 0;  // outbox rows deleted
  int64_t events = 0;    // read events deleted
  int64_t reports = 0;   // subscription report ids deleted
  bool busy = false;     // another process was purging: nothing was done
  bool complete = true;  // false: the pass ran out of time with old rows left
  int64_t durationMs = 0;
};

class RetentionPurger {
 public:
  static constexpr const char* kLease = "notify.retention";
  static constexpr int kChunkRows = 1000;
  static constexpr int64_t kPassBudgetMs = 10'000;

  // Throws std::invalid_argument unless retentionDays and chunkRows are at least 1 (a retention
  // of 0, keep forever, has no purger).
  RetentionPurger(Notifications& notifications, Subscriptions& subscriptions, Leases& leases,
                  const Clock& clock, int retentionDays, int chunkRows = kChunkRows);

  // One pass: deletes what is older than the retention at the time of the call. Throws
  // StoreError (the lease is released).
  RetentionReport purge();

 private:
  void deleteChunks(int64_t cutoffMs, Lease& lease, RetentionReport& report);

  Notifications& notifications_;
  Subscriptions& subscriptions_;
  Leases& leases_;
  const Clock& clock_;
  const int64_t retentionMs_;
  const int chunkRows_;
  std::mutex passes_;
};

}  // namespace wxb
