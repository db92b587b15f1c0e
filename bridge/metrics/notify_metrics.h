// The notifications' Prometheus metrics: outbox depth by state and each channel's daily budget
// and sends counted today (collectors that ask the store at scrape time, so every instance reports
// the shared outbox and counts), sends by channel and errcode, digest runs by outcome and
// real-time notices. Called by Services::open (describe, the sender's observer, the collector)
// and by whoever runs a digest (countDigestRun) or decides notices (countNotices). Thread-safe
// because Metrics is.
#pragma once

#include "bridge/metrics/metrics.h"
#include "cron/clock.h"
#include "notify/digest.h"
#include "notify/notice_engine.h"
#include "notify/outbox_sender.h"
#include "store/notifications/notifications.h"

namespace wxb {

// Declares the metrics and registers the collectors over `notifications`; `clock` says which China
// day's counts a scrape shows, `dailyBudget` the budgets (notify.budget.CHANNEL).
void describeNotifyMetrics(Metrics& metrics, Notifications& notifications, const Clock& clock,
                           const DailyBudgets& dailyBudget);

// The sender's hook: counts one send under its errcode.
SendObserver notifySendObserver(Metrics& metrics);

// Counts what real-time notice decisions did: notices by kind (single, many) and held events
// by outcome (merged, dropped_read, quiet_hours, no_follower).
void countNotices(Metrics& metrics, const NoticeCounts& counts);

// Counts a digest run by outcome (built, already_done, busy, dry_run) and its messages.
void countDigestRun(Metrics& metrics, const DigestReport& report);

}  // namespace wxb
