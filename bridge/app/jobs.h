// The scheduled jobs of `wxbridge serve`, as cron jobs for the Scheduler (cron/scheduler.h).
// Every instance runs every job on its schedule; a job that must run once across instances
// takes a store lease inside (the token refresh, the sync, the digest, the retention purge).
// Called once by serve.
#pragma once

#include <vector>

#include "bridge/app/services.h"
#include "cron/scheduler.h"

namespace wxb {

// The jobs to register, built from the validated settings (so expressions are known good).
std::vector<CronJob> scheduledJobs(Services& services);

// The notification jobs (bridge/app/jobs_notify.cpp): the unread digest on notify.digest.cron, a
// minutely check that finishes a digest a crash interrupted, and the hourly retention purge
// (unless notify.retention_days is 0). Appended to `jobs`.
void addNotifyJobs(Services& services, std::vector<CronJob>& jobs);

// The event push's hourly purge of old dedup records, expired bind codes and given-up jobs
// (bridge/app/jobs_callback.cpp). Appended to `jobs`.
void addCallbackJobs(Services& services, std::vector<CronJob>& jobs);

}  // namespace wxb
