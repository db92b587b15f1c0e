// Field value rules of template and subscribe messages, as WECHAT.md lists them.
//
// Lengths count Unicode code points, not bytes. Subscribe-message keys are TYPE + digits
// (thing1, character_string2, phone_number3 ...); each known TYPE has its rule, an unknown TYPE
// has none. Every typed value must also be non-empty and free of control characters. `time`
// and `date` values are a point or a range "A~B"; a point is a date (2024-05-01, 2024/5/1,
// 2024年5月1日) and/or a 24-hour time (9:05, 09:05:30): `time` needs the time part, `date` the
// date part; 12-hour forms ("3:00 PM") are refused.
// OA template fields show at most 20 characters and no line breaks: legacy (keywordN) templates
// fold longer text, category templates reject it and also obey the typed rules.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wxb::fake {

inline constexpr std::size_t kTemplateFieldLimit = 20;

// Number of code points in valid UTF-8 `text`.
std::size_t codePointCount(std::string_view text);

// The TYPE of a key: "thing" for "thing01", "character_string" for "character_string2".
std::string_view keyType(std::string_view key);

// Why `value` breaks the rule of `key`'s type ("exceeds 20 characters" ...), or nullopt when
// it is fine or the type has no rule.
std::optional<std::string> subscribeValueProblem(std::string_view key, std::string_view value);

// Why a category template refuses `value` for `key`, or nullopt.
std::optional<std::string> categoryValueProblem(std::string_view key, std::string_view value);

// What a legacy template shows for `value`: line breaks become spaces, then at most 20 code
// points. `folded` tells whether that differs from `value`.
std::string foldTemplateValue(std::string_view value, bool* folded);

}  // namespace wxb::fake
