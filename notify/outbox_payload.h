// The outbox payload: a message rendered for every channel it may be sent on, as the JSON text
// the outbox stores, and the platform requests built from it at send time. A message is
// rendered when it is enqueued (the counts and texts of that moment, the configuration of that
// moment); which form is sent is decided when it is claimed (notify/channels.h), so the payload
// keeps each candidate channel's form in the order they are tried.
//
// Rows written before channels existed hold one template message ({"template_id", "data",
// "miniprogram"?, "url"?}); they read as a payload with a single oa_template form.
// Called by the enqueuers (digest, direct messages, real-time notices, reminders) and by the
// outbox sender. Pure functions: thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/channels.h"
#include "wechat/wechat_types.h"

namespace wxb {

// One channel's form of a message, rendered.
struct ChannelForm {
  Channel channel = Channel::OaTemplate;
  std::string templateId;
  std::optional<MiniProgramLink> miniprogram;  // oa_template, oa_subscribe
  std::string url;                             // oa_template (a web page; miniprogram wins)
  std::string page;              // mp_subscribe: mini-program page; oa_subscribe: web URL
  std::string miniprogramState;  // mp_subscribe
  std::string lang;              // mp_subscribe
  bool longTerm = false;         // oa_subscribe: no grant needed
  std::map<std::string, std::string> data;  // key -> value, already fitted to its channel
};

struct OutboxPayload {
  bool autoChannel = false;        // "auto": on failure to reach the user, the next form
  std::vector<ChannelForm> forms;  // candidates, in the order they are tried

  // The form for `channel`, or nullptr.
  const ChannelForm* form(Channel channel) const;
  // The forms' channels in order.
  std::vector<Channel> channels() const;
};

// {"auto":bool,"forms":[{"channel","template_id","data",...}]}.
std::string encodeOutboxPayload(const OutboxPayload& payload);

// The payload encodeOutboxPayload() wrote, or a legacy single template message. Throws
// std::runtime_error for text that is neither (a row written by something else).
OutboxPayload decodeOutboxPayload(std::string_view text);

// The payload of a message sent on oa_template only - the digest's, a real-time notice's - with
// `message` (renderTemplate(); its touser and client_msg_id are not stored) as its one form.
std::string encodeTemplatePayload(const TemplateMessage& message);
// The oa_template form of a stored payload as the message to `touser` (previews, tests). Throws
// std::runtime_error when the payload has none.
TemplateMessage decodeTemplatePayload(std::string_view text, const std::string& touser);

// The platform requests of a form, addressed to `touser` (the OA openid for oa_template and
// oa_subscribe, the MP openid for mp_subscribe).
TemplateMessage templateMessageOf(const ChannelForm& form, const std::string& touser,
                                  const std::string& clientMsgId);
SubscribeMessage subscribeMessageOf(const ChannelForm& form, const std::string& touser);
BizSubscribeMessage bizSubscribeMessageOf(const ChannelForm& form, const std::string& touser);

}  // namespace wxb
