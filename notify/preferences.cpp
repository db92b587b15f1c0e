#include "notify/preferences.h"

#include <date/tz.h>

#include "cron/time_zone.h"

namespace wxb {

namespace {

std::optional<FieldProblem> checkMuted(const std::vector<std::string>& muted,
                                       const std::set<std::string>& knownTypes) {
  if (muted.size() > kMaxMutedTypes) {
    return FieldProblem{"muted_types", "at most " + std::to_string(kMaxMutedTypes) + " types"};
  }
  for (size_t i = 0; i < muted.size(); ++i) {
    if (auto problem =
            checkKnownType("muted_types[" + std::to_string(i) + "]", muted[i], knownTypes)) {
      return problem;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<FieldProblem> checkPreferences(const Preferences& prefs,
                                             const std::set<std::string>& knownTypes) {
  if (prefs.timezone && !findTimeZone(*prefs.timezone)) {
    return FieldProblem{"timezone", "not an IANA time zone (e.g. Asia/Shanghai)"};
  }
  if (prefs.quietHours) {
    if (auto quiet = parseQuietHours(*prefs.quietHours); !quiet) {
      return FieldProblem{"quiet_hours", quiet.error()};
    }
  }
  if (prefs.mutedTypes) return checkMuted(*prefs.mutedTypes, knownTypes);
  return std::nullopt;
}

NoticePrefs resolvePreferences(const Preferences& prefs, const PreferenceDefaults& defaults) {
  NoticePrefs out;
  const date::time_zone* own = prefs.timezone ? findTimeZone(*prefs.timezone) : nullptr;
  out.timezone = own ? *prefs.timezone : defaults.timezone;
  out.zone = own ? own : findTimeZone(defaults.timezone);
  out.quietHours = defaults.quietHours;
  if (prefs.quietHours) {
    if (auto quiet = parseQuietHours(*prefs.quietHours)) out.quietHours = *quiet;
  }
  if (prefs.mutedTypes) out.mutedTypes.insert(prefs.mutedTypes->begin(), prefs.mutedTypes->end());
  out.digest = prefs.digest.value_or(true);
  return out;
}

}  // namespace wxb
