// `wxbridge cron EXPR [--from ISO8601] [--count N] [--tz ZONE]`: prints the next N fire times
// of a cron expression, one ISO 8601 time with offset a line, so an operator can check a
// schedule before putting it in sync.cron or notify.digest.cron. The command dispatcher calls
// runCronCommand with the words after `cron`; it reads no configuration and touches no store.
// Thread-safe: no shared state.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "cron/clock.h"

namespace wxb {

// The arguments, for usage messages and `wxbridge cron --help`.
inline constexpr std::string_view kCronDetails =
    "  EXPR      5 fields (min hour dom month dow), 6 (leading seconds) or Quartz 6-7 with '?'\n"
    "  --from    start after this time, e.g. 2026-03-08T01:59:00-05:00 (default: now);\n"
    "            without an offset it is wall time in --tz; years 1970-2199\n"
    "  --count   how many fire times to print, 1-1000 (default 5)\n"
    "  --tz      IANA time zone the expression runs in (default: the timezone key,\n"
    "            Asia/Shanghai unless configured)\n";

inline constexpr int kMaxCronCount = 1000;

// EXPR may be one quoted word or several words (joined with spaces). --tz defaults to
// `defaultZone` (the `timezone` setting); --from defaults to clock.nowMs(); a --from without
// offset is wall time in --tz. Prints the fire times to `out`
// and returns 0; with fewer than N fire times left it prints those, says so on `err`, and
// returns 0 (1 when there are none). Returns 2 with a message on `err` naming the problem for a
// bad expression, zone, --from or --count, or an unknown option. `--help` is runCli's.
int runCronCommand(const std::vector<std::string>& args, const Clock& clock, std::ostream& out,
                   std::ostream& err, std::string_view defaultZone);

}  // namespace wxb
