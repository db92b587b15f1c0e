// ScheduleRoutes: user-set reminders (docs/schedules.md) - POST /v1/schedules -> 201
// {"id","next_fire_at"}; GET /v1/schedules/{id}; GET /v1/schedules?unionid=U[&after=ID]
// [&limit=N] (a page by id); PATCH /v1/schedules/{id} (any member, "paused"); DELETE
// /v1/schedules/{id}. Every validation failure is a 400 naming the member. Built from the
// Schedules store, the rules a schedule is checked against (templates, schedules.*), the clock
// and a function that wakes the schedule engine after a change commits; registered always.
// Thread-safe.
#pragma once

#include <functional>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "notify/schedules/schedule_check.h"
#include "store/schedules/schedules.h"

namespace wxb {

class ScheduleRoutes {
 public:
  ScheduleRoutes(Schedules& schedules, ScheduleRules rules, const Clock& clock,
                 std::function<void()> wakeEngine)
      : schedules_(schedules), rules_(rules), clock_(clock), wakeEngine_(std::move(wakeEngine)) {}

  // Adds the five routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse create(const ApiRequest& request);
  ApiResponse get(const ApiRequest& request);
  ApiResponse list(const ApiRequest& request);
  ApiResponse patch(const ApiRequest& request);
  ApiResponse remove(const ApiRequest& request);

 private:
  Schedules& schedules_;
  const ScheduleRules rules_;
  const Clock& clock_;
  std::function<void()> wakeEngine_;
};

}  // namespace wxb
