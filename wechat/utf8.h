// UTF-8 primitives shared by the platform client (tolerant decoding of platform answers,
// wechat/lenient_json.h), template text (notify/text_fit.h), the store's text parameters
// (store/db/statement.h) and the names push refusals quote (wechat/callback/push_json.cpp). Pure
// functions; thread-safe.
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

// The first maxChars characters of UTF-8 `text` (all of it when shorter), never splitting a
// character.
std::string_view cutToChars(std::string_view text, size_t maxChars);

}  // namespace wxb
