// The check of bench/realtime.sh: reads what the store recorded (events with their accept and
// read times), what the load generator logged (when each 202 came) and what fake-wechat
// received (each message's receiver, template and receipt time in ms), predicts every user's
// notices with the bench's own model (realtime/model.h), and compares: messages per user and
// kind must be exactly as predicted. Also measures the latency from the 202 of an event that
// opened a window to the platform's receipt of its "single" notice, and how late "many"
// notices arrived after their window closed.
#pragma once

#include <cstdint>
#include <string>

namespace rtbench {

struct CheckInputs {
  std::string eventsTsv;        // id, event_id, unionid, created_at, read_at (from the store)
  std::string postedTsv;        // the load generator's log (realtime/post.h)
  std::string messagesNdjson;   // GET /__fake/messages
  std::string followersNdjson;  // GET /__fake/followers
  std::string singleTemplateId;
  std::string manyTemplateId;
  int64_t throttleMs = 10'000;
};

// Prints mismatches (at most a few) on stderr and the figures as JSON fields (without braces)
// on stdout. Returns false when any user's messages differ from the prediction.
bool checkRun(const CheckInputs& inputs);

}  // namespace rtbench
