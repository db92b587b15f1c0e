// The event push's job of `wxbridge serve`: the hourly purge of dedup rows, expired bind codes
// and given-up jobs older than callback.dedup_hours (docs/callback.md "Retention"). Every
// instance fires it; deleting the same old rows twice deletes nothing more, so it takes no
// lease. A pass deletes chunks until a short one or its time budget.
#include <Poco/Logger.h>
#include <date/tz.h>

#include <chrono>

#include "bridge/app/jobs.h"

namespace wxb {

namespace {

constexpr const char* kPurgeCron = "53 47 * * * *";  // hourly, at a minute no other job uses
constexpr int kChunkRows = 1000;
constexpr int64_t kPassBudgetMs = 10'000;

Poco::Logger& logger() { return Poco::Logger::get("wxb.callback"); }

CronJob purgeJob(Services& services) {
  auto run = [&services] {
    const int64_t start = services.clock.nowMs();
    const int64_t cutoff = start - services.settings.callback.dedupHours * 3'600'000;
    CallbackPurgeCounts total;
    for (;;) {
      auto c = services.store->callback().purgeBefore(cutoff, kChunkRows);
      total.pushes += c.pushes;
      total.bindCodes += c.bindCodes;
      total.jobs += c.jobs;
      const bool more = c.pushes == kChunkRows || c.bindCodes == kChunkRows || c.jobs == kChunkRows;
      if (!more || services.clock.nowMs() - start > kPassBudgetMs) break;
    }
    if (total.pushes + total.bindCodes + total.jobs == 0) return;
    logger().information(
        "callback retention: deleted %?d push records, %?d bind codes, %?d "
        "given-up jobs",
        total.pushes, total.bindCodes, total.jobs);
  };
  return CronJob{"callback-retention", CronExpr::parse(kPurgeCron).value(),
                 date::locate_zone("UTC"), run};
}

}  // namespace

void addCallbackJobs(Services& services, std::vector<CronJob>& jobs) {
  jobs.push_back(purgeJob(services));
}

}  // namespace wxb
