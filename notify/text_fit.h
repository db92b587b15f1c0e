// Template field text as the platform shows it: since May 2023 an OA template field shows at
// most 20 characters and no line breaks; category templates even reject longer text (47003).
// fitTemplateValue() makes any text safe to send: line breaks and other control characters
// become spaces, invalid UTF-8 becomes U+FFFD (the JSON encoder would throw on it), and text
// longer than the limit is cut to limit - 1 characters plus "…". Characters are Unicode code
// points, never bytes, and a cut never splits a UTF-8 sequence. Called by template rendering.
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
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

}  // namespace wxb
