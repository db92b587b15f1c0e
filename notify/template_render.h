// Rendering: a TemplateSpec plus what one user has unread (and a direct message's params)
// becomes the TemplateMessage the platform receives. Every field value goes through
// fitTemplateValue(), so no field is longer than 20 characters or holds a line break. Called
// by the digest and by direct-message submission, at enqueue time: the outbox keeps the
// rendered message, so counts are those of the moment it was made. Pure: thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "notify/notify_settings.h"
#include "store/notifications/notifications.h"
#include "wechat/wechat_types.h"

namespace wxb {

using MessageParams = std::map<std::string, std::string>;

// "chat messages: 3, invitations: 1": counts by type, largest first (ties by type name), each
// with its label from `labels` (the type itself when it has none). "" when there are none.
std::string summaryText(const std::vector<TypeCount>& counts, const TypeLabels& labels);

// The message for `touser`. `unread` may be null (nothing unread: counts 0, texts empty);
// a param the message lacks renders as "".
TemplateMessage renderTemplate(const TemplateSpec& spec, const TypeLabels& labels,
                               const std::string& touser, const UnreadSummary* unread,
                               const MessageParams& params);

}  // namespace wxb
