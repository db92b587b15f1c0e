// The value rules of subscribe-message data keys, shared by MP subscribe messages
// (subscribe/send) and OA subscribe notifications (subscribe/bizsend): a data key is TYPE plus
// digits ("thing1", "character_string12") and its value must obey TYPE's rule, or the platform
// refuses the whole message with 47003 (WECHAT.md, "Subscribe message (MP)"; the platform's
// "subscribe message parameter types" table). wxbridge checks them when a message is accepted,
// so that a caller learns of a bad value from a 400 naming the parameter instead of from a
// failed message later.
//
// A value is first made safe the way template fields are (notify/text_fit.h: invalid UTF-8
// replaced, line breaks and control characters turned into spaces) and trimmed of surrounding
// white space; a `thing` value longer than 20 characters is then cut to 19 and "…", like a
// template field. Every other type is refused rather than changed: cutting an order number, a
// phone number or a date would send something the caller did not mean.
//
// Lengths count characters (Unicode code points), never bytes. Called at intake (direct
// messages, reminders, real-time notices) and by the configuration reader, which refuses a
// subscribe template whose data key has no known TYPE. Pure functions: thread-safe.
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wxb {

enum class ValueType {
  Thing,            // at most 20 characters of any kind (cut with "…" when longer)
  Number,           // digits with an optional decimal part, at most 32 characters
  Letter,           // at most 32 ASCII letters
  Symbol,           // at most 5 characters, none a letter, digit, CJK character or space
  CharacterString,  // at most 32 printable ASCII characters (letters, digits, symbols; no CJK)
  Phrase,           // at most 5 Chinese characters, nothing else
  Name,             // at most 10 Chinese characters, or at most 20 ASCII characters; not mixed
  Amount,           // an optional currency sign, at most 10 digits, 2 decimals, optional 元
  PhoneNumber,      // at most 17 of digits, + - ( ) and space
  CarNumber,        // at most 8 letters and digits; Chinese characters only first and last
  Time,             // a 24-hour time, optionally after a date, or a range A~B
  Date,             // a date, optionally followed by a 24-hour time, or a range A~B
};

// "thing", "character_string", ... as the platform spells the TYPE.
std::string_view valueTypeName(ValueType type);

// The rule of `type` in words, for error messages and docs: "at most 20 characters".
std::string_view valueTypeRule(ValueType type);

// The TYPE of a data key: TYPE followed by one or more digits ("thing1" -> Thing,
// "character_string12" -> CharacterString). nullopt for a key of no known TYPE ("keyword1",
// "thing" without digits).
std::optional<ValueType> subscribeKeyType(std::string_view key);

struct FittedValue {
  std::string value;  // what to send
  bool cut = false;   // a thing value was longer than 20 characters and was cut
};

// The value to send under data key `key`, or why `value` cannot be sent: a sentence naming the
// rule and what breaks it ("character_string: at most 32 printable ASCII characters ...: has a
// CJK character"). A key of no known TYPE is a problem too.
std::expected<FittedValue, std::string> fitSubscribeValue(std::string_view key,
                                                          std::string_view value);

// A data key whose value cannot be sent, and why (fitSubscribeValue's sentence).
struct SubscribeValueProblem {
  std::string key;
  std::string problem;
};

// Every value of `data` (key -> value) as fitSubscribeValue() makes it, or the first key (in key
// order) whose value cannot be sent.
std::expected<std::map<std::string, std::string>, SubscribeValueProblem> fitSubscribeData(
    const std::map<std::string, std::string>& data);

}  // namespace wxb
