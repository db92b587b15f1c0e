// TemplateSpec: one configured template (templates.NAME.* keys): the channel it is for
// (notify/channels.h), the platform's template_id there, where it opens (a mini-program page,
// or a web page for OA subscribe notifications), and for each data field a pattern that says
// what goes into it; plus variants of the same message for other channels
// (templates.NAME.variants.CHANNEL.*), each a TemplateSpec of its own. A pattern is literal text
// with placeholders:
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

#include "notify/channels.h"
#include "notify/send_priority.h"
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

// The channel members come after the first four, each with an initialiser, so that a spec
// written as {name, template_id, miniprogram, data} stays an oa_template one.
struct TemplateSpec {
  std::string name;  // the NAME of templates.NAME.*
  std::string templateId;
  std::optional<MiniProgramLink> miniprogram;         // oa_template, oa_subscribe
  std::vector<std::pair<std::string, Pattern>> data;  // field key -> pattern, by key
  Channel channel = Channel::OaTemplate;
  // mp_subscribe: the page it opens; oa_subscribe: a web URL.
  std::string page = "";
  std::string miniprogramState = "formal";  // mp_subscribe: formal | trial | developer
  std::string lang = "zh_CN";               // mp_subscribe
  bool longTerm = false;                    // oa_subscribe: a long-term template, no grant
  // Overrides the class its messages are sent with.
  std::optional<SendClass> priority = std::nullopt;
  // The same message on other channels, one per channel.
  std::vector<TemplateSpec> variants = {};

  // The NAMEs of every {{params.NAME}} the fields use, variants included.
  std::set<std::string> paramNames() const;
  // The channels the template can be sent on: its own and its variants'.
  std::set<Channel> channels() const;
  // The form for `channel`: this spec or one of its variants; nullptr when it has none.
  const TemplateSpec* form(Channel channel) const;
};

// Names the configuration accepts: template names and data keys, types, param names.
bool isValidTemplateName(std::string_view name);  // [A-Za-z0-9_-]{1,64}
bool isValidFieldKey(std::string_view key);       // [A-Za-z0-9_]{1,32}
bool isValidEventType(std::string_view type);     // [a-z0-9_]{1,32}

}  // namespace wxb
