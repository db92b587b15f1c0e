#include "cron/time_zone.h"

#include <date/tz.h>

#include <exception>

namespace wxb {

const date::time_zone* findTimeZone(std::string_view name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace wxb
