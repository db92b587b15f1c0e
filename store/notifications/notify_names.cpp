// The backend-independent parts of NotifyStore: state names and the unread-row assembly.
#include <algorithm>

#include "store/notifications/notifications.h"
#include "store/notifications/notify_rows.h"

namespace wxb {

const char* outboxStateName(OutboxState state) {
  switch (state) {
    case OutboxState::Pending:
      return "pending";
    case OutboxState::Sending:
      return "sending";
    case OutboxState::Sent:
      return "sent";
    case OutboxState::Failed:
      return "failed";
    case OutboxState::Unknown:
      return "unknown";
    case OutboxState::NoChannel:
      return "no_channel";
  }
  return "unknown";
}

OutboxState parseOutboxState(std::string_view name) {
  for (OutboxState s : {OutboxState::Pending, OutboxState::Sending, OutboxState::Sent,
                        OutboxState::Failed, OutboxState::NoChannel}) {
    if (name == outboxStateName(s)) return s;
  }
  return OutboxState::Unknown;
}

std::string digestMessageKey(int64_t runId, const std::string& unionid) {
  return "digest:" + std::to_string(runId) + ":" + unionid;
}

std::pair<std::string, std::string> digestKeyRange(int64_t runId) {
  std::string prefix = "digest:" + std::to_string(runId);
  return {prefix + ":", prefix + ";"};  // ';' is the character after ':'
}

void showNewest(UnreadSummary& unread) {
  const NewestUnread* newest = nullptr;
  for (const auto& n : unread.newestByType) {
    if (!newest || n.id > newest->id) newest = &n;
  }
  unread.latestActor = newest ? newest->actor : "";
  unread.latestText = newest ? newest->text : "";
}

std::vector<UnreadSummary> assembleUnread(const std::vector<UnreadTypeRow>& rows) {
  std::vector<UnreadSummary> out;
  for (const auto& row : rows) {
    if (out.empty() || out.back().unionid != row.unionid) {
      out.push_back({row.unionid, {}, "", "", row.oaOpenid, row.subscribed, {}});
    }
    out.back().counts.push_back({row.type, row.count});
    out.back().newestByType.push_back({row.type, row.newestId, row.actor, row.text});
    out.back().heldUpToId = std::max(out.back().heldUpToId, row.heldUpToId);
  }
  for (auto& summary : out) showNewest(summary);
  return out;
}

}  // namespace wxb
