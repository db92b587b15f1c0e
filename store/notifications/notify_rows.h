// The row shapes the unread-event queries read (store/notifications/events.cpp), and the function
// that assembles them into UnreadSummary values. Internal to store/. Plain values and a pure
// function: thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "store/notifications/notifications.h"

namespace wxb {

// One account's unread events of one type: how many, and the newest of them.
struct UnreadTypeRow {
  std::string unionid;
  std::string type;
  int64_t count = 0;
  int64_t newestId = 0;
  std::string actor;  // of the newest
  std::string text;
  std::string oaOpenid;
  bool subscribed = false;
  int64_t heldUpToId = 0;  // the highest id of the type's unread events still held; 0 none
};

// Bounds (both exclusive) of the idempotency keys of run `runId`'s messages.
std::pair<std::string, std::string> digestKeyRange(int64_t runId);

// One summary per account of `rows` (sorted by unionid, as the range query returns them).
std::vector<UnreadSummary> assembleUnread(const std::vector<UnreadTypeRow>& rows);

}  // namespace wxb
