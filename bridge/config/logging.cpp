#include "bridge/config/logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/LoggingConfigurator.h>

namespace wxb {

void configureLogging(const Poco::Util::AbstractConfiguration& config) {
  Poco::AutoPtr<Poco::PatternFormatter> format(
      new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
  Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, console));
  // The static setters reach loggers that already exist too, not only ones made later.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Message::PRIO_INFORMATION);
  // logging.* keys refine or replace the default (e.g. only logging.loggers.root.level).
  Poco::Util::AbstractConfiguration::Keys keys;
  config.keys("logging", keys);
  if (!keys.empty()) {
    // configure() takes an AutoPtr: share the reference instead of handing over ownership.
    Poco::Util::AbstractConfiguration::Ptr shared(
        const_cast<Poco::Util::AbstractConfiguration*>(&config), true);
    Poco::Util::LoggingConfigurator().configure(shared);
  }
}

}  // namespace wxb
