// Everything the platform delivered (GET /__fake/messages) and the client_msg_id dedup window.
//
// The message routes call record() only after a send passed every check, so a refused or
// faulted send leaves no trace. A send carrying a dedup key (touser + client_msg_id) that was
// recorded within the last 10 minutes of the fake clock gets the original msgid back and is not
// recorded again. msgids are large (above 2^61) to catch clients that store them in a double or
// 32-bit integer. At most kMaxKept deliveries are kept (oldest dropped first).
// Thread-safety: all members are thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>

#include "fake_wechat/fake_clock.h"

namespace wxb::fake {

struct DeliveryOutcome {
  int64_t msgid = 0;
  bool duplicate = false;
};

class Deliveries {
 public:
  static constexpr int64_t kDedupWindow = 600;
  static constexpr std::size_t kMaxKept = 2'000'000;

  explicit Deliveries(const FakeClock& clock) : clock_(clock) {}

  // Records `entry` (its "msgid", "at" in Unix seconds and "at_ms" in Unix ms are filled in) unless
  // `dedupKey` is non-empty and was recorded within the window, in which case the earlier msgid
  // comes back as a duplicate.
  DeliveryOutcome record(nlohmann::json entry, const std::string& dedupKey);

  // Writes the NDJSON lines of deliveries with msgid > `afterMsgid`, oldest first.
  void writeLines(int64_t afterMsgid, std::ostream& out) const;

  std::size_t size() const;
  void clear();

 private:
  struct Line {
    int64_t msgid;
    std::string text;
  };
  struct Seen {
    int64_t msgid;
    int64_t at;
  };
  void forgetExpired(int64_t now);  // requires mutex_

  const FakeClock& clock_;
  mutable std::mutex mutex_;
  std::deque<Line> log_;
  std::unordered_map<std::string, Seen> seen_;
  std::deque<std::pair<std::string, int64_t>> seenOrder_;
  int64_t nextMsgid_ = 3'000'000'000'000'000'001LL;
};

}  // namespace wxb::fake
