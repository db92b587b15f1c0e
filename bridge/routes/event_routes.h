// EventRoutes: POST /v1/events {"event_id","unionid","type","actor","text"} - the backend reports
// what a user has unread (stored before the 202, once per event_id: the same id again is 200)
// - and POST /v1/events:read {"unionid","types"} - what they have read since. The unread
// events feed the digest. Built from the notifications store and the clock; registered always.
// Thread-safe.
#pragma once

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "store/notifications/notifications.h"

namespace wxb {

class EventRoutes {
 public:
  EventRoutes(Notifications& notifications, const Clock& clock)
      : notifications_(notifications), clock_(clock) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse recordEvent(const ApiRequest& request);
  ApiResponse markEventsRead(const ApiRequest& request);

 private:
  Notifications& notifications_;
  const Clock& clock_;
};

}  // namespace wxb
