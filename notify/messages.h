// What the backend hands wxbridge through the API, as domain operations without HTTP: events
// (what a user has unread) and direct messages (one named template to one user, through the
// outbox). The /v1/events and /v1/messages handlers parse JSON, call these, and map the result
// to a status. Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "notify/notify_settings.h"
#include "notify/template_render.h"
#include "store/notify_store.h"
#include "store/store.h"

namespace wxb {

inline constexpr size_t kMaxEventIdChars = 64;
inline constexpr size_t kMaxEventTextChars = 256;  // actor and text, in characters
inline constexpr size_t kMaxIdempotencyKeyChars = 128;
inline constexpr size_t kMaxParamChars = 256;

// Checks an event's fields (event_id 1-64 characters, type [a-z0-9_]{1,32}, actor and text at
// most 256 characters of valid UTF-8; the unionid is checked by the caller).
std::optional<FieldProblem> checkEvent(const NotifyEvent& event);

struct DirectMessage {
  std::string idempotencyKey;  // the caller's: 1-128 printable ASCII characters
  std::string unionid;
  std::string templateName;
  MessageParams params;
};

// Renders `message` now (with the user's unread counts, for templates that show them) and puts
// it into the outbox under "api:<idempotency key>": the same key again returns the first
// message. A user who does not follow the OA still gets a message id; the message then fails
// with "no OA follower" (GET /v1/messages/{id} shows it). Problems with the request itself
// (unknown template, a parameter the template needs) come back as a FieldProblem.
std::expected<EnqueueResult, FieldProblem> submitDirectMessage(Store& store,
                                                               const NotifySettings& settings,
                                                               const DirectMessage& message,
                                                               int64_t nowMs);

}  // namespace wxb
