// Rendering: a TemplateSpec plus the values of its placeholders becomes what the platform
// receives. A template message's fields go through fitTemplateValue(), so no field is longer
// than 20 characters or holds a line break; a subscribe form's fields go through the value rules
// of their key type (notify/subscribe_values.h), and a value that cannot be made valid is a
// FieldProblem naming the parameter that fed it. Called at enqueue time by the digest and
// direct-message submission (with what the user has unread) and by real-time notices (with the
// held events a notice announces, notify/notice_window.h): the outbox keeps the rendered
// message, so counts are those of the moment it was made. Pure: thread-safe.
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

// What the placeholders of notify/template_spec.h show.
struct TemplateValues {
  std::vector<TypeCount> counts;  // {{total}}, {{count.TYPE}}, {{summary}}
  int64_t unread = 0;             // {{unread}}
  std::string type;               // {{label}}: the label of this type
  std::string actor;              // {{actor}}
  std::string text;               // {{text}}
  MessageParams params;           // {{params.NAME}}
};

// "chat messages: 3, invitations: 1": counts by type, largest first (ties by type name), each
// with its label from `labels` (the type itself when it has none). "" when there are none.
std::string summaryText(const std::vector<TypeCount>& counts, const TypeLabels& labels);

// The message for `touser`. A param the values lack renders as ""; {{label}} of no type as "".
TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const TemplateValues& values);

// The message for `touser` about what it has unread. `unread` may be null (nothing unread:
// counts 0, texts empty); {{unread}} and {{total}} are then both the unread total.
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
