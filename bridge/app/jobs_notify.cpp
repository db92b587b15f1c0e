// The notification jobs of `wxbridge serve`. Every instance fires the digest; all of them work
// on the run named after the fire time, so each account gets one message whichever instances
// take part (notify/digest.h). Every instance fires the retention purge too; its lease lets one
// of them purge (notify/retention.h).
#include <Poco/Logger.h>
#include <date/tz.h>

#include <memory>

#include "bridge/app/jobs.h"
#include "bridge/metrics/notify_metrics.h"
#include "notify/retention.h"

namespace wxb {

namespace {

// Longer than the scheduler's misfire grace: a late but still accepted fire finds its slot.
constexpr int64_t kSlotLookbackMs = 10 * 60'000;
// Once a minute, off the full minute that other jobs like.
constexpr const char* kResumeCron = "17 * * * * *";
// Hourly, at a minute no other job uses. A pass is short (RetentionPurger::kPassBudgetMs): each
// deletes what expired in the last hour, and a backlog drains over a few of them.
constexpr const char* kRetentionCron = "29 41 * * * *";

Poco::Logger& logger() { return Poco::Logger::get("wxb.notify"); }

void reportRun(Services& services, const DigestReport& report) {
  countDigestRun(services.metrics, report);
  if (report.busy) {
    logger().information("digest %s: another process is building it", report.runKey);
  } else if (report.alreadyDone) {
    logger().information("digest %s: already built (by another instance)", report.runKey);
  }
  services.sender->wake();
}

CronJob digestJob(Services& services) {
  CronExpr expr = CronExpr::parse(services.settings.notify.digestCron).value();
  const date::time_zone* zone = date::locate_zone(services.settings.timezone);
  auto run = [&services, expr, zone] {
    auto slot = lastFireAtOrBefore(expr, zone, services.clock.nowMs(), kSlotLookbackMs);
    if (!slot) {
      logger().warning("digest fired more than %?d s after its time; skipped",
                       kSlotLookbackMs / 1000);
      return;
    }
    reportRun(services, services.digest->runScheduled(*slot));
  };
  return CronJob{"notify-digest", expr, zone, run};
}

CronJob digestResumeJob(Services& services) {
  auto run = [&services] {
    if (auto report = services.digest->resumeInterrupted()) reportRun(services, *report);
  };
  return CronJob{"notify-digest-resume", CronExpr::parse(kResumeCron).value(),
                 date::locate_zone("UTC"), run};
}

CronJob retentionJob(Services& services) {
  const int days = services.settings.notify.retentionDays;
  auto purger = std::make_shared<RetentionPurger>(services.store->notifications(),
                                                  services.store->subscriptions(),
                                                  services.store->leases(), services.clock, days);
  auto run = [purger, days] {
    RetentionReport r = purger->purge();
    if (r.messages == 0 && r.events == 0 && r.reports == 0) return;
    logger().information(
        "retention: deleted %?d final outbox messages, %?d read events and %?d subscription "
        "report ids older than %d days in %?d ms%s",
        r.messages, r.events, r.reports, days, r.durationMs,
        std::string(r.complete ? "" : " (more left for the next pass)"));
  };
  return CronJob{"notify-retention", CronExpr::parse(kRetentionCron).value(),
                 date::locate_zone("UTC"), run};
}

}  // namespace

void addNotifyJobs(Services& services, std::vector<CronJob>& jobs) {
  if (services.settings.notify.retentionDays > 0) jobs.push_back(retentionJob(services));
  if (!services.digest || requireApp(services.settings, App::Oa)) return;
  jobs.push_back(digestJob(services));
  jobs.push_back(digestResumeJob(services));
}

}  // namespace wxb
