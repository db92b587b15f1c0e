#include "notify/preferences.h"

#include <date/tz.h>

#include <algorithm>
#include <stdexcept>

namespace wxb {

namespace {

constexpr size_t kMaxZoneChars = 64;

// IANA names are ASCII letters, digits and "/_+-" ("America/Port-au-Prince", "Etc/GMT+8").
bool looksLikeZoneName(const std::string& name) {
  return !name.empty() && name.size() <= kMaxZoneChars &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == '_' || c == '+' || c == '-';
         });
}

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

// The zone named `name`, or nullptr when the time-zone database does not know it.
const date::time_zone* zoneNamed(const std::string& name) {
  if (!looksLikeZoneName(name)) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

}  // namespace

std::optional<FieldProblem> checkPreferences(const Preferences& prefs,
                                             const std::set<std::string>& knownTypes) {
  if (prefs.timezone && !zoneNamed(*prefs.timezone)) {
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
  const date::time_zone* own = prefs.timezone ? zoneNamed(*prefs.timezone) : nullptr;
  out.timezone = own ? *prefs.timezone : defaults.timezone;
  out.zone = own ? own : zoneNamed(defaults.timezone);
  out.quietHours = defaults.quietHours;
  if (prefs.quietHours) {
    if (auto quiet = parseQuietHours(*prefs.quietHours)) out.quietHours = *quiet;
  }
  if (prefs.mutedTypes) out.mutedTypes.insert(prefs.mutedTypes->begin(), prefs.mutedTypes->end());
  out.digest = prefs.digest.value_or(true);
  return out;
}

}  // namespace wxb
