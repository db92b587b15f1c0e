// EventRoutes: POST /v1/events {"event_id","unionid","type","actor","text"} - the backend reports
// what a user has unread (stored before the 202, once per event_id: the same id again is 200)
// - and POST /v1/events:read {"unionid","types"} - what they have read since. The unread
// events feed the digest; an event of a real-time type (notify.types.TYPE.realtime) is also
// held for a real-time notice in the same transaction, and onHeld wakes the notice engine
// (notify/notice_engine.h). When notify.types.TYPE is configured, an event of another type is
// refused (400 `type`, as muted_types refuses it), and so is such a type in the `types` to mark
// read (400 `types[i]`); with none configured any type is taken and shown by its name. Built from
// the notifications and notices stores, the real-time settings, the clock and the configured types;
// registered always. Thread-safe.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "notify/notify_settings.h"
#include "store/notices/notices.h"
#include "store/notifications/notifications.h"

namespace wxb {

class EventRoutes {
 public:
  EventRoutes(Notifications& notifications, Notices& notices, const RealtimeSettings& realtime,
              const Clock& clock, std::function<void()> onHeld, std::set<std::string> knownTypes)
      : notifications_(notifications),
        notices_(notices),
        realtime_(realtime),
        clock_(clock),
        onHeld_(std::move(onHeld)),
        knownTypes_(std::move(knownTypes)) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse recordEvent(const ApiRequest& request);
  ApiResponse markEventsRead(const ApiRequest& request);

 private:
  Notifications& notifications_;
  Notices& notices_;
  const RealtimeSettings& realtime_;
  const Clock& clock_;
  std::function<void()> onHeld_;
  const std::set<std::string> knownTypes_;  // notify.types.TYPE; empty: any type is taken
};

}  // namespace wxb
