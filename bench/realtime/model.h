// The bench's own model of the real-time notice rules, written from docs/notify.md ("Real-time
// notices") and deliberately sharing no code with wxbridge: given one user's events (when each
// was accepted and read, as the store recorded them) and the throttle, it predicts which
// notices the platform must receive. bench/realtime.sh compares the prediction with what
// fake-wechat received; a difference is a bug in one of the two. No quiet hours, no digest,
// no muted types (the bench uses none). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rtbench {

struct ModelEvent {
  int64_t rowId = 0;  // the store's id: the order of events accepted in the same millisecond
  std::string eventId;
  int64_t createdMs = 0;
  int64_t readMs = 0;  // 0: never read
};

struct PredictedNotice {
  bool single = false;    // a single announces one event at its arrival; a many, a closed window
  int64_t dueMs = 0;      // the arrival or the window's close
  std::string eventId;    // single: its event
  int64_t announced = 0;  // events it announces
};

// The notices for one user's events (any order) with windows of throttleMs.
std::vector<PredictedNotice> predictNotices(std::vector<ModelEvent> events, int64_t throttleMs);

// Runs the docs' example (events at 10:00:00, 10:00:30, 10:04, read at 10:06, 10:09) through
// the model; "" when it predicts what docs/notify.md says, else what differs.
std::string checkDocumentedExample();

}  // namespace rtbench
