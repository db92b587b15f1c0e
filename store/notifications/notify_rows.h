// The row shapes the unread-event queries read (store/notifications/events.cpp), and the function
// that assembles them into UnreadSummary values. Internal to store/. Plain values and a pure
// function: thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "store/notifications/notifications.h"

namespace wxb {

struct UnreadCountRow {
  std::string unionid;
  std::string type;
  int64_t count = 0;
};

struct UnreadLatestRow {
  std::string unionid;
  std::string actor;
  std::string text;
  std::string oaOpenid;
  bool subscribed = false;
};

// Bounds (both exclusive) of the idempotency keys of run `runId`'s messages.
std::pair<std::string, std::string> digestKeyRange(int64_t runId);

// One summary per latest row (unionid order), with the counts of the same unionid. Both inputs
// are sorted by unionid, as the range queries return them.
std::vector<UnreadSummary> assembleUnread(const std::vector<UnreadCountRow>& counts,
                                          const std::vector<UnreadLatestRow>& latest);

}  // namespace wxb
