// The load of bench/realtime.sh: real-time events (and a few "read" marks) posted to the serve
// instances through the public API on a fixed schedule - EVENTS events at uniformly random
// times over SECONDS (0: all at once, as fast as the connections go), each for a random user - over
// keep-alive connections split across the instances. Every request's send time and answer time are
// logged, so the check can measure from the 202 onwards. Open loop as far as CONNECTIONS allow: a
// request whose time has come waits only for a free connection; how late the schedule ran is
// reported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rtbench {

struct PostSettings {
  std::vector<std::string> targets;   // "http://127.0.0.1:PORT" of each serve instance
  std::string apiKey;                 // sent as "Authorization: Bearer KEY"
  std::vector<std::string> unionids;  // the users
  int64_t events = 200'000;
  double seconds = 60;
  double readShare = 0.1;  // users who read everything once, at a random time
  int connections = 64;
  uint64_t seed = 1;
};

struct PostReport {
  int64_t accepted = 0;  // 202
  int64_t failed = 0;    // anything else, after retries
  int64_t reads = 0;
  double durationS = 0;     // first send to last answer
  int64_t maxLagMs = 0;     // the latest a request was sent after its scheduled time
  int64_t answerP50Ms = 0;  // send to answer of the event posts
  int64_t answerP99Ms = 0;
};

// Posts the schedule; writes one line per request to `logPath`:
// "event|read <TAB> event_id|- <TAB> unionid <TAB> sent_ms <TAB> answered_ms <TAB> status".
PostReport postSchedule(const PostSettings& settings, const std::string& logPath);

}  // namespace rtbench
