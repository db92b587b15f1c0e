// Rendering: a TemplateSpec plus what one user has unread (and a direct message's params)
// becomes what the platform receives. A template message's fields go through
// fitTemplateValue(), so no field is longer than 20 characters or holds a line break; a
// subscribe form's fields go through the value rules of their key type
// (notify/subscribe_values.h), and a value that cannot be made valid is a FieldProblem naming
// the parameter that fed it. Called by the digest and by direct-message submission, at enqueue
// time: the outbox keeps the rendered message, so counts are those of the moment it was made.
// Pure: thread-safe.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <vector>

#include "notify/notify_settings.h"
#include "notify/outbox_payload.h"
#include "store/notifications/notifications.h"
#include "wechat/wechat_types.h"

namespace wxb {

using MessageParams = std::map<std::string, std::string>;

// A request field that is not acceptable: the field's name and why.
struct FieldProblem {
  std::string field;
  std::string problem;
};

// "chat messages: 3, invitations: 1": counts by type, largest first (ties by type name), each
// with its label from `labels` (the type itself when it has none). "" when there are none.
std::string summaryText(const std::vector<TypeCount>& counts, const TypeLabels& labels);

// The message for `touser`. `unread` may be null (nothing unread: counts 0, texts empty);
// a param the message lacks renders as "".
TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const UnreadSummary* unread,
                               const MessageParams& params);

// One channel's form of `form` (a TemplateSpec or one of its variants), rendered. A subscribe
// value that cannot be made valid comes back as a FieldProblem: field "params.NAME" for the
// first parameter its pattern uses, or "template" when it uses none; the problem names the
// rule, the data key, the template and the channel.
std::expected<ChannelForm, FieldProblem> renderForm(const TemplateSpec& form,
                                                    const TypeLabels& labels,
                                                    const UnreadSummary* unread,
                                                    const MessageParams& params);

// The payload of a message of `spec` for the channels `candidates` (candidateChannels()), in
// that order; `autoChannel` for "auto". The first form that cannot be rendered is the problem.
std::expected<OutboxPayload, FieldProblem> renderPayload(const TemplateSpec& spec,
                                                         const std::vector<Channel>& candidates,
                                                         bool autoChannel, const TypeLabels& labels,
                                                         const UnreadSummary* unread,
                                                         const MessageParams& params);

}  // namespace wxb
