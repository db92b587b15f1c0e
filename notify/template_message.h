// The outbox payload: a rendered TemplateMessage as the JSON text the outbox stores (template_id,
// miniprogram, data; the recipient lives in its own column), and the client_msg_id a message
// is sent with. The id is derived from the outbox row, never drawn at random, so every resend of
// a row - by this process after a timeout or by another after a crash - carries the same id and
// the platform delivers it once within its 10-minute dedup window. Pure: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wechat/wechat_types.h"

namespace wxb {

// {"template_id":...,"miniprogram":{"appid","pagepath"},"data":{KEY:VALUE}}.
std::string encodePayload(const TemplateMessage& message);

// The message stored by encodePayload(), addressed to `touser`. Throws std::runtime_error for
// a payload that is not one (a row written by something else).
TemplateMessage decodePayload(std::string_view payload, const std::string& touser);

// "wxb-<outbox id>-<created ms>": unique per row even across a database that was recreated.
std::string clientMsgIdFor(int64_t outboxId, int64_t createdAtMs);

}  // namespace wxb
