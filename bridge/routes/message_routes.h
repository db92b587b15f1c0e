// MessageRoutes: POST /v1/messages {"idempotency_key","unionid","template","params"} - a direct
// message, one named template to one user through the outbox, stored before the 202 (the same
// idempotency_key again: 200 with the same message_id, no second message) - and
// GET /v1/messages/{id}, its state. A message to a user in quiet hours (their preference, else
// notify.quiet_hours) is due at their end unless the body says "urgent": true. Built from the
// stores submitDirectMessage uses, the notices store (preferences), the notify settings
// (templates), the preference defaults, the clock and a function that wakes the outbox sender;
// registered always. Thread-safe.
#pragma once

#include <functional>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "notify/notify_settings.h"
#include "notify/preferences.h"
#include "store/accounts/accounts.h"
#include "store/notices/notices.h"
#include "store/notifications/notifications.h"

namespace wxb {

class MessageRoutes {
 public:
  MessageRoutes(Accounts& accounts, Notifications& notifications, Notices& notices,
                const NotifySettings& settings, PreferenceDefaults defaults, const Clock& clock,
                std::function<void()> wakeSender)
      : accounts_(accounts),
        notifications_(notifications),
        notices_(notices),
        settings_(settings),
        defaults_(std::move(defaults)),
        clock_(clock),
        wakeSender_(std::move(wakeSender)) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse createMessage(const ApiRequest& request);
  ApiResponse getMessage(const ApiRequest& request);

 private:
  Accounts& accounts_;
  Notifications& notifications_;
  Notices& notices_;
  const NotifySettings& settings_;
  const PreferenceDefaults defaults_;
  const Clock& clock_;
  std::function<void()> wakeSender_;
};

}  // namespace wxb
