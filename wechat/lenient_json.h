// Tolerant decoding of platform answers. The platform is sloppy with user-supplied text: a
// follower's `remark` may hold a raw control byte (0x14) or bytes that are not UTF-8, which a
// strict JSON parser refuses, and one such follower would sink a whole batchget of 100 every
// night. Every platform answer goes through parseLenientJson (WechatClient::interpret), so one
// bad byte costs at most the field it sits in. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace wxb {

// `text` with, inside JSON string literals only, raw control characters (below 0x20) written
// as \u00XX escapes and every byte that is not part of valid UTF-8 replaced by U+FFFD.
// Everything outside string literals is left as it is.
std::string repairJsonText(std::string_view text);

// The JSON value of `text`, read strictly first and, only if that fails, from
// repairJsonText(text); `repaired` says whether the repair was needed. A text that is not
// JSON even after repair gives a discarded value (is_discarded()), never an exception.
nlohmann::json parseLenientJson(std::string_view text, bool& repaired);

}  // namespace wxb
