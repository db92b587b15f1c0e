// TemplateSpec: one configured template message (templates.NAME.* keys): the platform's
// template_id, the mini-program page it opens, and for each data field a pattern that says what
// goes into it. A pattern is literal text with placeholders:
//   {{total}}          unread events of the user
//   {{count.TYPE}}     unread events of one type (0 when none)
//   {{summary}}        the counts by type with their labels, "chat messages: 3, invitations: 1"
//   {{actor}} {{text}} of the newest unread event
//   {{label}}          the label of that event's type (notify.types.TYPE.label)
//   {{unread}}         every unread event of the user
//   {{params.NAME}}    a parameter of a direct message (POST /v1/messages)
// In a real-time notice (notify/notice_window.h) the counts, the texts and the label are of
// the held events the notice announces, and {{unread}} still counts everything unread.
// Parsed once at start by the configuration reader, so an unknown placeholder stops the start
// (exit 2) rather than a send. Plain values: thread-safe once built.
#pragma once

#include <expected>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechat/wechat_types.h"

namespace wxb {

struct PatternPart {
  enum class Kind { Literal, Total, Count, Summary, Actor, Text, Label, Unread, Param };
  Kind kind = Kind::Literal;
  std::string text;  // the literal text, the TYPE of a count or the NAME of a param
};

using Pattern = std::vector<PatternPart>;

// Parses a data pattern. On failure, a sentence naming the problem ("unknown placeholder
// {{totl}}", "'{{' without '}}'").
std::expected<Pattern, std::string> parsePattern(std::string_view text);

struct TemplateSpec {
  std::string name;  // the NAME of templates.NAME.*
  std::string templateId;
  std::optional<MiniProgramLink> miniprogram;
  std::vector<std::pair<std::string, Pattern>> data;  // field key -> pattern, by key

  // The NAMEs of every {{params.NAME}} the fields use.
  std::set<std::string> paramNames() const;
};

// Names the configuration accepts: template names and data keys, types, param names.
bool isValidTemplateName(std::string_view name);  // [A-Za-z0-9_-]{1,64}
bool isValidFieldKey(std::string_view key);       // [A-Za-z0-9_]{1,32}
bool isValidEventType(std::string_view type);     // [a-z0-9_]{1,32}

}  // namespace wxb
