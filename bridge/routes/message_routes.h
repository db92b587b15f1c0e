// MessageRoutes: POST /v1/messages {"idempotency_key","unionid","template","params"} - a direct
// message, one named template to one user through the outbox, stored before the 202 (the same
// idempotency_key again: 200 with the same message_id, no second message) - and
// GET /v1/messages/{id}, its state. Built from the stores submitDirectMessage uses, the notify
// settings (templates), the clock and a function that wakes the outbox sender; registered
// always. Thread-safe.
#pragma once

#include <functional>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "notify/notify_settings.h"
#include "store/accounts/accounts.h"
#include "store/notifications/notifications.h"

namespace wxb {

class MessageRoutes {
 public:
  MessageRoutes(Accounts& accounts, Notifications& notifications, const NotifySettings& settings,
                const Clock& clock, std::function<void()> wakeSender)
      : accounts_(accounts),
        notifications_(notifications),
        settings_(settings),
        clock_(clock),
        wakeSender_(std::move(wakeSender)) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse createMessage(const ApiRequest& request);
  ApiResponse getMessage(const ApiRequest& request);

 private:
  Accounts& accounts_;
  Notifications& notifications_;
  const NotifySettings& settings_;
  const Clock& clock_;
  std::function<void()> wakeSender_;
};

}  // namespace wxb
