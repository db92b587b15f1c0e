// The backend-independent parts of NotifyStore: state names and the unread-row assembly.
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

std::vector<UnreadSummary> assembleUnread(const std::vector<UnreadCountRow>& counts,
                                          const std::vector<UnreadLatestRow>& latest) {
  std::vector<UnreadSummary> out;
  out.reserve(latest.size());
  size_t c = 0;
  for (const auto& row : latest) {
    UnreadSummary summary{row.unionid, {}, row.actor, row.text, row.oaOpenid, row.subscribed};
    while (c < counts.size() && counts[c].unionid < row.unionid) ++c;
    for (; c < counts.size() && counts[c].unionid == row.unionid; ++c) {
      summary.counts.push_back({counts[c].type, counts[c].count});
    }
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace wxb
