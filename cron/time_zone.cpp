#include "cron/time_zone.h"

#include <date/tz.h>

#include <algorithm>
#include <exception>

namespace wxb {

namespace {

constexpr std::size_t kMaxZoneChars = 64;

// IANA names are ASCII letters, digits and "/_+-" ("America/Port-au-Prince", "Etc/GMT+8").
// "localtime" is a file beside them in /usr/share/zoneinfo (a link to /etc/localtime), not a zone:
// it would mean a different zone on every host that reads the stored name.
bool looksLikeZoneName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxZoneChars && name != "localtime" &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == '_' || c == '+' || c == '-';
         });
}

}  // namespace

const date::time_zone* findTimeZone(std::string_view name) {
  if (!looksLikeZoneName(name)) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace wxb
