// QuietHours: the nightly span of wall-clock time ("22:00-08:00", notify.quiet_hours or a
// user's preference) in which real-time notices and non-urgent direct messages are held, read
// in the user's time zone. A span whose end is not after its start runs past midnight. Wall
// times map to instants with the zone's daylight-saving rules: a time skipped by a
// spring-forward gap means the first instant after the gap, a time repeated by a fall-back
// means its first occurrence (as `wxbridge cron --from` reads them), so a quiet night across a
// DST change is as long as the clocks on the wall say. Called by the configuration reader and
// the preference routes (parsing) and by the notice rules (notify/notice_window.h). Pure:
// thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace wxb {

struct QuietHours {
  int startMinute = 0;  // minutes after local midnight, 0-1439
  int endMinute = 0;    // 0-1439, never equal to startMinute; before it: the span ends next day

  bool operator==(const QuietHours&) const = default;
};

// Parses "HH:MM-HH:MM" (24-hour, two digits each, e.g. "22:00-08:00"); "" means no quiet
// hours (nullopt). On failure, a sentence saying what is wrong.
std::expected<std::optional<QuietHours>, std::string> parseQuietHours(std::string_view text);

// "22:00-08:00"; "" for nullopt.
std::string formatQuietHours(const std::optional<QuietHours>& quiet);

// When the quiet span that contains atMs (Unix ms) ends, in Unix ms; nullopt when atMs is not
// in quiet hours. `zone` nullptr means UTC.
std::optional<int64_t> quietHoursEndAt(const QuietHours& quiet, const date::time_zone* zone,
                                       int64_t atMs);

// When a message to a user with these quiet hours may go out: nowMs, or the end of the quiet
// span nowMs falls in. `urgent` direct messages pass quiet hours.
int64_t deliverableAt(const std::optional<QuietHours>& quiet, const date::time_zone* zone,
                      bool urgent, int64_t nowMs);

}  // namespace wxb
