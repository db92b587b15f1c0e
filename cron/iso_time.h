// ISO 8601 date-times for operators: `wxbridge cron` reads --from and prints fire times with
// these, and the scheduler's log lines show times the same way, so what an operator reads can be
// pasted back into --from; the HTTP API and the commands' JSON write UTC times with
// formatIsoUtc. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace wxb {

// Formats Unix ms as wall time in `zone` (nullptr: UTC) with its offset, e.g.
// "2026-03-08T03:00:00-04:00"; milliseconds are shown (".250") only when not zero, the
// offset's seconds only for the rare historical offset that has them ("-00:44:30").
std::string formatIsoTime(int64_t ms, const date::time_zone* zone);

// Formats Unix ms as UTC with milliseconds always shown, e.g. "2026-11-21T10:00:00.123Z": the
// time format of the HTTP API's JSON and `wxbridge` command output.
std::string formatIsoUtc(int64_t ms);

// Parses "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM[:SS]|+HHMM|+HH]" (a space may replace the
// 'T'), so whatever formatIsoTime prints reads back.
// Without an offset the time is wall time in `zone` (nullptr: UTC): a wall time repeated by a
// fall-back transition means its first occurrence, one skipped by a spring-forward gap means
// the first instant after the gap. A time that falls outside the years 0000-9999 in UTC or in
// `zone` is refused (it would not print back). Returns Unix ms, or a message saying what is wrong.
std::expected<int64_t, std::string> parseIsoTime(std::string_view text,
                                                 const date::time_zone* zone);

// Unix seconds as wall-clock seconds in `zone` (nullptr: UTC): seconds since 1970-01-01T00:00
// of the local calendar, so that day and time of day are plain arithmetic.
int64_t toWallSec(int64_t utcSec, const date::time_zone* zone);

// Wall-clock seconds in `zone` (nullptr: UTC) as Unix seconds: a wall time repeated by a
// fall-back transition means its first occurrence, one skipped by a spring-forward gap means
// the first instant after the gap (as parseIsoTime does).
int64_t wallToUtcSec(int64_t wallSec, const date::time_zone* zone);

}  // namespace wxb
