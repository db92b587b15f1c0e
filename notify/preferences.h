// Preferences: what one user (by unionid) chose about notifications - their time zone, quiet
// hours, the event types they muted, and whether they get the daily digest - as
// PUT /v1/accounts/{unionid}/preferences sets them and the store keeps them. A field the user
// did not set follows the configuration (`timezone`, notify.quiet_hours; nothing muted; the
// digest on), so changing a default reaches everyone who kept it. checkPreferences() is the
// validation the route applies; resolvePreferences() turns stored preferences into the values
// the notice rules (notify/notice_window.h) and the digest use. Pure: thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notify/messages.h"
#include "notify/quiet_hours.h"
#include "store/notices/notices.h"

namespace date {
class time_zone;
}

namespace wxb {

inline constexpr size_t kMaxMutedTypes = 64;

// The configured defaults: `timezone` and notify.quiet_hours.
struct PreferenceDefaults {
  std::string timezone = "Asia/Shanghai";
  std::optional<QuietHours> quietHours;
};

// The preferences in force for one user.
struct NoticePrefs {
  std::string timezone;
  const date::time_zone* zone = nullptr;  // of `timezone`; nullptr: UTC
  std::optional<QuietHours> quietHours;
  std::set<std::string> mutedTypes;
  bool digest = true;
};

// The first problem with `prefs`, naming the field ("timezone", "quiet_hours",
// "muted_types[2]"): a zone the time-zone database does not know, quiet hours that are not
// HH:MM-HH:MM, more than kMaxMutedTypes muted types, or a type not in `knownTypes` (the
// types configured under notify.types). nullopt when acceptable.
std::optional<FieldProblem> checkPreferences(const Preferences& prefs,
                                             const std::set<std::string>& knownTypes);

// The preferences in force: each field the user set, else the default. A stored value that no
// longer reads (a zone dropped from the database) falls back to the default.
NoticePrefs resolvePreferences(const Preferences& prefs, const PreferenceDefaults& defaults);

}  // namespace wxb
