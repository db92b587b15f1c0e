// The notification jobs of `wxbridge serve`. Every instance fires the digest; all of them work
// on the run named after the fire time, so each account gets one message whichever instances
// take part (notify/digest.h).
#include <Poco/Logger.h>
#include <date/tz.h>

#include "bridge/jobs.h"
#include "bridge/notify_metrics.h"

namespace wxb {

namespace {

// Longer than the scheduler's misfire grace: a late but still accepted fire finds its slot.
constexpr int64_t kSlotLookbackMs = 10 * 60'000;
// Once a minute, off the full minute that other jobs like.
constexpr const char* kResumeCron = "17 * * * * *";

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

}  // namespace

void addNotifyJobs(Services& services, std::vector<CronJob>& jobs) {
  if (!services.digest || requireApp(services.settings, App::Oa)) return;
  jobs.push_back(digestJob(services));
  jobs.push_back(digestResumeJob(services));
}

}  // namespace wxb
