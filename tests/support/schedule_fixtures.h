// Reminders for tests: a configured "reminder" template with two params, the rules that check
// schedules against it, and schedules built from ISO 8601 times, so a test reads like the
// request it stands for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cron/iso_time.h"
#include "notify/schedules/schedule.h"
#include "notify/schedules/schedule_check.h"

namespace wxb::test {

// Unix ms of an ISO 8601 time with its offset ("2026-03-08T03:00:00-04:00").
inline int64_t isoMs(std::string_view text) { return parseIsoTime(text, nullptr).value(); }

struct ReminderRules {
  NotifySettings notify;
  ScheduleSettings settings;

  ReminderRules() {
    TemplateSpec spec{
        "reminder", "TPL_REMIND", MiniProgramLink{"wxfakemp", "pages/todo/index"}, {}};
    spec.data.emplace_back("thing1", parsePattern("{{params.title}}").value());
    spec.data.emplace_back("time2", parsePattern("at {{params.when}}").value());
    notify.templates.emplace("reminder", spec);
  }
  ScheduleRules rules() const { return {notify, settings}; }
};

// A schedule of the "reminder" template for unionid "u1".
inline Schedule cronSchedule(std::string cron, std::string zone) {
  Schedule s;
  s.unionid = "u1";
  s.cron = std::move(cron);
  s.timezone = std::move(zone);
  s.templateName = "reminder";
  s.params = {{"title", "Stand-up"}, {"when", "09:00"}};
  return s;
}

inline Schedule oneShotSchedule(std::string_view at) {
  Schedule s = cronSchedule("", "");
  s.atMs = isoMs(at);
  return s;
}

}  // namespace wxb::test
