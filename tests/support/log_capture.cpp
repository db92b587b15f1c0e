// LogCapture: a Poco channel that keeps messages in a vector, swapped in for the logger's own.
#include "support/log_capture.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>

namespace wxb::test {

class LogCapture::MemoryChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message.getPriority(), message.getText());
  }
  std::vector<std::pair<int, std::string>> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<int, std::string>> lines_;
};

LogCapture::LogCapture(const std::string& loggerName)
    : logger_(Poco::Logger::get(loggerName)), channel_(new MemoryChannel) {
  previousChannel_ = logger_.getChannel();
  previousLevel_ = logger_.getLevel();
  logger_.setChannel(channel_);
  logger_.setLevel(Poco::Message::PRIO_TRACE);
}

LogCapture::~LogCapture() {
  logger_.setChannel(previousChannel_);
  logger_.setLevel(previousLevel_);
}

std::vector<std::pair<int, std::string>> LogCapture::lines() { return channel_->lines(); }

std::string LogCapture::all() {
  std::string text;
  for (const auto& [priority, line] : lines()) text += line + "\n";
  return text;
}

}  // namespace wxb::test
