// The time zones the cron and ISO time fuzz targets evaluate in, picked by an input byte: UTC,
// China's, and zones whose rules break naive code - daylight saving (New York), a 30-minute
// shift (Lord Howe), a +12:45 offset (Chatham), transitions at midnight (Santiago).
#pragma once

#include <date/tz.h>

#include <array>
#include <cstddef>

namespace wxb::fuzz {

inline const date::time_zone* zoneFor(size_t index) {
  static const std::array<const date::time_zone*, 6> zones = {
      nullptr,
      date::locate_zone("Asia/Shanghai"),
      date::locate_zone("America/New_York"),
      date::locate_zone("Australia/Lord_Howe"),
      date::locate_zone("Pacific/Chatham"),
      date::locate_zone("America/Santiago"),
  };
  return zones[index % zones.size()];
}

}  // namespace wxb::fuzz
