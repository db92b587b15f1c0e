// Looking up an IANA time zone by name (Asia/Shanghai, America/New_York) in the system's tzdata
// through date/tz, for names that come from outside: the API's schedules and the configuration.
// Thread-safe (date/tz's database is read once and then only read).
#pragma once

#include <string_view>

namespace date {
class time_zone;
}

namespace wxb {

// The zone named `name` (case-sensitive, as in tzdata: "Asia/Shanghai", "UTC"), or nullptr when
// tzdata has no such zone or link, or the name is not an IANA name (over 64 characters, a
// character outside A-Z a-z 0-9 / _ + -, or "localtime", the host's own zone). The one lookup
// for every zone from outside: schedules, preferences, the configuration, `wxbridge cron --tz`.
const date::time_zone* findTimeZone(std::string_view name);

}  // namespace wxb
