// One table of subscribe-message values, each with what wxbridge's value rules must make of it:
// sent as it is, cut (thing), or refused. The unit test (notify_subscribe_values_test.cpp)
// checks wxbridge's rules against it; the integration test (subscribe_values_fake_test.cpp)
// sends the same values to fake-wechat, whose rules are written independently, so the two
// implementations are checked against each other through one list of cases.
#pragma once

#include <string>
#include <vector>

namespace wxb::test {

struct SubscribeValueCase {
  enum class Outcome { Sent, Cut, Refused };
  std::string key;    // data key: thing1, number2, ...
  std::string input;  // the value as the caller gives it
  Outcome outcome;
  std::string sent;  // Sent / Cut: the value to send; Refused: ""
};

// Cases for every value type (accepted, cut where the type allows it, refused), including
// CJK text, emoji, surrounding white space and line breaks.
const std::vector<SubscribeValueCase>& subscribeValueCases();

}  // namespace wxb::test
