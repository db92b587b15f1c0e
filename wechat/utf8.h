// UTF-8 primitives shared by the platform client (tolerant decoding of platform answers,
// wechat/lenient_json.h), template text (notify/text_fit.h) and the store's text parameters
// (store/db/statement.h). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace wxb {

// U+FFFD, what an invalid byte becomes.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

// Length in bytes (1-4) of the valid UTF-8 sequence at text[at], or 0 when the bytes there are
// not one: a stray continuation byte, a truncated sequence, an overlong form, a UTF-16
// surrogate or a code point past U+10FFFF. `at` must be less than text.size().
size_t utf8SequenceLength(std::string_view text, size_t at);

}  // namespace wxb
