#include "realtime/model.h"

#include <algorithm>

namespace rtbench {

namespace {

bool readBy(const ModelEvent& e, int64_t atMs) { return e.readMs != 0 && e.readMs <= atMs; }

}  // namespace

std::vector<PredictedNotice> predictNotices(std::vector<ModelEvent> events, int64_t throttleMs) {
  std::sort(events.begin(), events.end(), [](const ModelEvent& a, const ModelEvent& b) {
    return a.createdMs != b.createdMs ? a.createdMs < b.createdMs : a.rowId < b.rowId;
  });
  std::vector<PredictedNotice> out;
  int64_t windowEnd = 0;  // a window is open before this instant
  size_t i = 0;
  while (i < events.size()) {
    const ModelEvent& first = events[i];
    if (first.createdMs >= windowEnd) {  // nothing open: at once, unless read already
      if (!readBy(first, first.createdMs)) {
        out.push_back({true, first.createdMs, first.eventId, 1});
        windowEnd = first.createdMs + throttleMs;
      }
      ++i;
      continue;
    }
    // Held: everything that arrived by the close goes out together, read ones dropped.
    const int64_t close = windowEnd;
    int64_t unread = 0;
    for (; i < events.size() && events[i].createdMs <= close; ++i) {
      if (!readBy(events[i], close)) ++unread;
    }
    if (unread > 0) {
      out.push_back({false, close, "", unread});
      windowEnd = close + throttleMs;
    }
  }
  return out;
}

std::string checkDocumentedExample() {
  const int64_t ten = 36'000'000;  // 10:00 as ms after midnight
  const int64_t minute = 60'000;
  const int64_t readAt = ten + 6 * minute;
  auto notices = predictNotices({{1, "a", ten, readAt},
                                 {2, "b", ten + 30'000, readAt},
                                 {3, "c", ten + 4 * minute, readAt},
                                 {4, "d", ten + 9 * minute, 0}},
                                10 * minute);
  if (notices.size() != 2) return "expected 2 notices, got " + std::to_string(notices.size());
  if (!notices[0].single || notices[0].dueMs != ten || notices[0].eventId != "a") {
    return "expected a single for a at 10:00:00";
  }
  if (notices[1].single || notices[1].dueMs != ten + 10 * minute || notices[1].announced != 1) {
    return "expected a many announcing 1 event at 10:10:00";
  }
  return "";
}

}  // namespace rtbench
