#include "bridge/app/jobs.h"

#include <Poco/Logger.h>
#include <date/tz.h>

namespace wxb {

namespace {

// Often enough to renew a token well inside refresh_ahead, rarely enough to cost nothing.
constexpr const char* kTokenRefreshCron = "*/30 * * * * *";

CronJob tokenRefreshJob(Services& services) {
  std::vector<App> apps;
  for (App app : {App::Oa, App::Mp}) {
    if (!requireApp(services.settings, app)) apps.push_back(app);
  }
  auto run = [&services, apps] {
    for (App app : apps) {
      auto token = services.tokens->refreshIfDue(app);
      if (!token) {
        Poco::Logger::get("wxb.token")
            .warning("scheduled refresh (%s): %s", std::string(appName(app)),
                     token.error().describe());
      }
    }
  };
  return CronJob{"token-refresh", CronExpr::parse(kTokenRefreshCron).value(),
                 date::locate_zone("UTC"), run};
}

// The nightly follower sync. Every instance fires it; the sync lease lets one of them run it.
CronJob syncJob(Services& services) {
  auto run = [&services] {
    auto result = services.sync->runNow(false);
    if (!result) {
      Poco::Logger::get("wxb.sync")
          .information("scheduled sync skipped: %s holds the sync lease", result.error().owner);
    }
  };
  return CronJob{"sync", CronExpr::parse(services.settings.syncCron).value(),
                 date::locate_zone(services.settings.timezone), run};
}

}  // namespace

std::vector<CronJob> scheduledJobs(Services& services) {
  std::vector<CronJob> jobs;
  if (!requireApp(services.settings, App::Oa) || !requireApp(services.settings, App::Mp)) {
    jobs.push_back(tokenRefreshJob(services));
  }
  if (!requireApp(services.settings, App::Oa) && !services.settings.syncCron.empty()) {
    jobs.push_back(syncJob(services));
  }
  addNotifyJobs(services, jobs);
  addCallbackJobs(services, jobs);
  return jobs;
}

}  // namespace wxb
