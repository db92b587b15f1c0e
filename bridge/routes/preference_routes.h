// PreferenceRoutes: PUT /v1/accounts/{unionid}/preferences {"timezone","quiet_hours",
// "muted_types","digest"} - one user's notification preferences, replaced whole (a field left
// out or null follows the configuration) and validated first (an IANA zone, HH:MM-HH:MM, known
// event types; 400 naming the field) - and GET of the same, with what is in force. Built from
// the notices store, the configured defaults, the known event types (notify.types.TYPE) and the
// clock; registered always. Thread-safe.
#pragma once

#include <set>
#include <string>

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "notify/preferences.h"
#include "store/notices/notices.h"

namespace wxb {

class PreferenceRoutes {
 public:
  PreferenceRoutes(Notices& notices, PreferenceDefaults defaults, std::set<std::string> knownTypes,
                   const Clock& clock)
      : notices_(notices),
        defaults_(std::move(defaults)),
        knownTypes_(std::move(knownTypes)),
        clock_(clock) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse putPreferences(const ApiRequest& request);
  ApiResponse getPreferences(const ApiRequest& request);

 private:
  ApiResponse answer(const std::string& unionid, const Preferences& stored) const;

  Notices& notices_;
  const PreferenceDefaults defaults_;
  const std::set<std::string> knownTypes_;
  const Clock& clock_;
};

}  // namespace wxb
