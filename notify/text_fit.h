// Template field text as the platform shows it: since May 2023 an OA template field shows at
// most 20 characters and no line breaks; category templates even reject longer text (47003).
// fitTemplateValue() makes any text safe to send: line breaks and other control characters
// become spaces, invalid UTF-8 becomes U+FFFD (the JSON encoder would throw on it), and text
// longer than the limit is cut to limit - 1 characters plus "…". Characters are Unicode code
// points, never bytes, and a cut never splits a UTF-8 sequence. Called by template rendering.
// The request checks below (freeTextProblem, identifierProblem) follow from that: as rendering
// folds control characters, free text may hold them. Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wxb {

inline constexpr size_t kTemplateValueMaxChars = 20;

// The text as it can be sent in one template field.
std::string fitTemplateValue(std::string_view text, size_t maxChars = kTemplateValueMaxChars);

// Code points in `text` (each invalid byte counts as one).
size_t countCodePoints(std::string_view text);

// Valid UTF-8 with control characters and Unicode line separators as spaces; "\r\n" becomes
// one space.
std::string cleanText(std::string_view text);

// Why `text` is refused as free text (an event's actor and text, a message parameter), or
// nullopt. Free text is any Unicode text of at most maxChars code points, empty included: line
// breaks, tabs and other control characters are kept as sent and folded to spaces where shown.
// Refused, with the reason and where: bytes that are not UTF-8, U+0000 (stores would cut the
// text there), more than maxChars characters ("must be at most 256 characters (got 300)").
std::optional<std::string> freeTextProblem(std::string_view text, size_t maxChars);

// Why `text` is refused as an identifier written by a person (an event_id), or nullopt: 1 to
// maxChars code points of UTF-8 without control characters (C0, DEL, C1, U+2028, U+2029),
// not ending in a space (trailingSpaceProblem); the reason names the first offending character
// and its position.
std::optional<std::string> identifierProblem(std::string_view text, size_t maxChars);

// Why a key the caller makes unique (event_id, idempotency_key, report_id) is refused for ending
// in a space (U+0020), or nullopt. MySQL and MariaDB compare such keys with PAD SPACE collations
// ("k " equals "k") while SQLite tells them apart: on MariaDB a second key "k " was answered as a
// repeat of "k" and its message or event silently dropped. Refused on every backend, so that
// both answer alike; a space elsewhere in the key is fine.
std::optional<std::string> trailingSpaceProblem(std::string_view key);

}  // namespace wxb
