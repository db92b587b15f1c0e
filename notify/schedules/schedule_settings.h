// ScheduleSettings: the typed schedules.* configuration, read once by the wiring code and handed
// to validation (schedule_check.h) and the engine. Plain values: thread-safe once built.
#pragma once

#include <cstdint>

namespace wxb {

struct ScheduleSettings {
  // No cron schedule may fire two times closer than this (cron/cron_interval.h says how a gap
  // is measured across daylight saving). 1-86400.
  int64_t minIntervalSeconds = 60;
  // Schedules one unionid may have, whatever their state. 1-10000.
  int64_t maxPerUser = 50;
  // A fire found due at most this late is still sent; older ones are skipped and counted.
  // 0-86400.
  int64_t misfireGraceSeconds = 300;
};

}  // namespace wxb
