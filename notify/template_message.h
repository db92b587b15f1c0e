// The client_msg_id a template message is sent with (its payload: notify/outbox_payload.h). The
// id is derived from the outbox row, never drawn at random, so every resend of a row - by this
// process after a timeout or by another after a crash - carries the same id and the platform
// delivers it once within its 10-minute dedup window. Pure: thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace wxb {

// "wxb-<outbox id>-<created ms>": unique per row even across a database that was recreated.
std::string clientMsgIdFor(int64_t outboxId, int64_t createdAtMs);

}  // namespace wxb
