// What the backend hands wxbridge through the API, as domain operations without HTTP: events
// (what a user has unread) and direct messages (one named template to one user, through the
// outbox). The /v1/events and /v1/messages handlers parse JSON, call these, and map the result
// to a status. Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notify/notify_settings.h"
#include "notify/template_render.h"
#include "store/accounts/accounts.h"
#include "store/notifications/notifications.h"

namespace wxb {

inline constexpr size_t kMaxEventIdChars = 64;
inline constexpr size_t kMaxEventTextChars = 256;  // actor and text, in characters
inline constexpr size_t kMaxIdempotencyKeyChars = 128;
inline constexpr size_t kMaxParamChars = 256;

// Why an idempotency key (POST /v1/messages' idempotency_key, POST /v1/subscriptions'
// report_id) is refused, or nullopt: 1-128 printable ASCII characters, space (0x20) to '~'
// (0x7E), not ending in a space (trailingSpaceProblem, notify/text_fit.h). The problem names the
// rule and what breaks it.
std::optional<std::string> idempotencyKeyProblem(const std::string& key);

// Checks an event's fields (event_id 1-64 characters without control characters, type
// [a-z0-9_]{1,32}, actor and text free text of at most 256 characters: line breaks and other
// control characters are accepted and shown as spaces; see freeTextProblem in
// notify/text_fit.h). The unionid is checked by the caller. The problem names the real reason.
std::optional<FieldProblem> checkEvent(const NotifyEvent& event);

// Whether `type` is an event type the configuration takes - the one rule of every door that
// names a type (POST /v1/events, muted_types): 1-32 of [a-z0-9_], and, when any type is
// configured under notify.types.TYPE (`knownTypes`), one of them. Else a problem for `field`
// (e.g. "type", "muted_types[2]"): "must be 1-32 characters of a-z 0-9 _", or "unknown event
// type (known: chat, invitation)". With no type configured any well-formed type is taken.
std::optional<FieldProblem> checkKnownType(const std::string& field, const std::string& type,
                                           const std::set<std::string>& knownTypes);

// The template called `name` in the configuration, or a problem naming "template" that lists
// the configured names.
std::expected<const TemplateSpec*, FieldProblem> findTemplate(const NotifySettings& settings,
                                                              const std::string& name);

// Checks `params` against the template: every {{params.NAME}} it uses is given ("params.NAME":
// "required by template T"), and every value is text of at most 256 characters without control
// characters. Names the template does not use are the caller's business.
std::optional<FieldProblem> checkParams(const TemplateSpec& spec, const MessageParams& params);

// The channels a message of `spec` may take, in the order they are tried, for `requested`:
// "" (the template's own channel), "auto" (the template's channels in notify.channels order) or
// a channel name (notify/channels.h). A FieldProblem naming "channel" for another word or a
// channel the template has no form for.
std::expected<std::vector<Channel>, FieldProblem> channelsFor(const TemplateSpec& spec,
                                                              const NotifySettings& settings,
                                                              const std::string& requested);

// The outbox row of a message of `spec` rendered for `channels` (channelsFor): its payload
// (encodeOutboxPayload), class (the template's priority, else `sendClass`) and channel - fixed
// to oa_template with `touser` when that is the only candidate, else chosen when it is sent.
// `key` is its idempotency key. A subscribe value that cannot be made valid is a FieldProblem.
std::expected<NewMessage, FieldProblem> outboxMessage(
    const TemplateSpec& spec, const NotifySettings& settings, const std::vector<Channel>& channels,
    bool autoChannel, const UnreadSummary* unread, const MessageParams& params,
    const std::string& key, const std::string& unionid, const std::string& touser,
    SendClass sendClass);

struct DirectMessage {
  std::string idempotencyKey;  // the caller's: 1-128 printable ASCII characters, space included
  std::string unionid;
  std::string templateName;
  MessageParams params;  // values: free text of at most 256 characters each
  // "" for the template's own channel, "auto" for the template's channels in notify.channels
  // order, or one channel name (notify/channels.h).
  std::string channel;
  bool urgent = false;  // passes the user's quiet hours
};

// Renders `message` now (with the user's unread counts, for templates that show them) in the
// form of every channel it may take and puts it into the outbox under "api:<idempotency key>":
// the same key again returns the first message. Its channel is chosen when it is sent
// (notify/channels.h); a user no channel can reach still gets a message id, and the message then
// ends as no_channel (GET /v1/messages/{id} shows why). Problems with the request itself
// (unknown template or channel, a parameter the template needs, a subscribe value that breaks
// its key's rule: notify/subscribe_values.h) come back as a FieldProblem. The message is due at
// dueAtMs (the end of the user's quiet hours, or nowMs).
std::expected<EnqueueResult, FieldProblem> submitDirectMessage(Accounts& accounts,
                                                               Notifications& notifications,
                                                               const NotifySettings& settings,
                                                               const DirectMessage& message,
                                                               int64_t nowMs, int64_t dueAtMs);

}  // namespace wxb
