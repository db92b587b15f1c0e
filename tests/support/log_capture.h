// LogCapture: while it lives, every message of one Poco logger (e.g. "wxb.wechat"), at every
// level, goes to memory instead of the logger's channel, so a test can assert what was and was
// not logged (no secrets, the numbers an operator needs). The destructor puts the logger's
// channel and level back. Create it on the test's thread; lines() and all() are safe while
// other threads log.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include <string>
#include <utility>
#include <vector>

namespace Poco {
class Logger;
}

namespace wxb::test {

class LogCapture {
 public:
  explicit LogCapture(const std::string& loggerName);
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Priority (Poco::Message::Priority) and text of each message so far, oldest first.
  std::vector<std::pair<int, std::string>> lines();
  // The texts only, one per line.
  std::string all();

 private:
  class MemoryChannel;

  Poco::Logger& logger_;
  Poco::AutoPtr<MemoryChannel> channel_;
  Poco::Channel::Ptr previousChannel_;
  int previousLevel_;
};

}  // namespace wxb::test
