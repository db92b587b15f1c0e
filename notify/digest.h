// The unread digest: one template message per account that has unread events and follows the
// OA, aggregating its unread counts by type, rendered with the template notify.digest.template
// names. The digest only enqueues; the outbox sender delivers.
//
// A digest is a run (store/notifications/notifications.h) whose messages carry the idempotency key
// "digest:<run id>:<unionid>", so building a run again - after a crash, or on a second instance
// - adds only what is missing and never a second message for an account. The scheduled digest's
// run is named after its fire time, so every instance that fires it works on the same run; the
// store lease "notify.digest" keeps two processes from building at once. Accounts that do not
// follow the OA (unknown, or unsubscribed) are counted as skipped, and so are users whose
// preferences say "digest": false; types a user muted are left out of their counts (a user with
// only muted types unread is skipped).
//
// Callers: the digest job of `wxbridge serve` (bridge/app/jobs.cpp) and `wxbridge digest`.
// Thread-safe; one process builds one run at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "cron/clock.h"
#include "cron/cron_expr.h"
#include "notify/notify_settings.h"
#include "store/leases/lease.h"
#include "store/notices/notices.h"
#include "store/notifications/notifications.h"
#include "wechat/wechat_types.h"

namespace wxb {

struct DigestReport {
  int64_t runId = 0;  // 0 for a dry run
  std::string runKey;
  bool dryRun = false;
  bool resumed = false;         // the run existed already (interrupted, or another instance's)
  bool alreadyDone = false;     // ... and had considered every account: nothing was added
  bool busy = false;            // another process is building a digest now: nothing was done
  int64_t accounts = 0;         // accounts with unread events
  int64_t enqueued = 0;         // messages this call added to the outbox
  int64_t alreadyEnqueued = 0;  // messages an earlier pass of the run had added
  int64_t skipped = 0;          // accounts that do not follow the OA
  int64_t durationMs = 0;
  std::optional<TemplateMessage> sample;  // dry run: the first message it would send
};

// The digest message of one account; nullopt when it does not follow the OA, or its
// preferences (nullptr: none) turn the digest off or mute every type it has unread.
std::optional<NewMessage> digestMessage(const TemplateSpec& spec, const TypeLabels& labels,
                                        const UnreadSummary& unread, int64_t runId,
                                        const Preferences* prefs = nullptr);

// "cron:<slotMs>": the run of a scheduled digest fired at slotMs.
std::string scheduledRunKey(int64_t slotMs);

// The latest fire time of `expr` in `zone` that is at or before nowMs and at most lookbackMs
// earlier; nullopt when there is none (a job started late by more than that).
std::optional<int64_t> lastFireAtOrBefore(const CronExpr& expr, const date::time_zone* zone,
                                          int64_t nowMs, int64_t lookbackMs);

class DigestRunner {
 public:
  static constexpr const char* kLease = "notify.digest";
  // An unfinished run older than this is not resumed: a new digest is due by then.
  static constexpr int64_t kResumeWindowMs = 6 * 3'600'000;

  // `onEnqueued` is called after each page of messages is in the outbox (to wake the sender).
  // Throws std::invalid_argument when settings.digestTemplate names no template.
  // Digest messages go into the outbox through `notices` (Notices::enqueueDigest), which counts
  // the events they cover as announced and closes the users' real-time windows.
  DigestRunner(Notifications& notifications, Notices& notices, Leases& leases,
               const NotifySettings& settings, const Clock& clock,
               std::function<void()> onEnqueued = {});

  // `wxbridge digest`: resumes the latest run while it is unfinished (not every account
  // considered, or messages not yet final) and younger than kResumeWindowMs; else a new run.
  // A dry run writes nothing and reports what a run would enqueue.
  DigestReport runNow(bool dryRun);
  // The scheduled digest fired at slotMs: one run per slot across every instance.
  DigestReport runScheduled(int64_t slotMs);
  // Finishes the latest run if a crash interrupted its building (and nobody builds it now).
  std::optional<DigestReport> resumeInterrupted();

 private:
  DigestReport build(const DigestRun& run, bool resumed);
  void enqueuePages(const DigestRun& run, Lease& lease, DigestReport& report);
  DigestReport dryRun();

  Notifications& notifications_;
  Notices& notices_;
  Leases& leases_;
  const NotifySettings& settings_;
  const TemplateSpec& spec_;
  const Clock& clock_;
  const std::function<void()> onEnqueued_;
  std::mutex building_;  // threads of one process take turns here, not at the lease
};

}  // namespace wxb
