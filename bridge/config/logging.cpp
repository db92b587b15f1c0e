#include "bridge/config/logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/LoggingConfigurator.h>

#include "bridge/config/file_paths.h"

namespace wxb {

namespace {

// Poco throws a bare "Invalid argument" for a bad level; check each logger's level first so
// that the message can name the key.
std::expected<void, ConfigError> checkLevels(const Poco::Util::AbstractConfiguration& config) {
  Poco::Util::AbstractConfiguration::Keys loggers;
  config.keys("logging.loggers", loggers);
  for (const auto& logger : loggers) {
    std::string key = "logging.loggers." + logger + ".level";
    if (!config.has(key)) continue;
    std::string level = config.getString(key);
    try {
      Poco::Logger::parseLevel(level);
    } catch (const Poco::Exception&) {
      return std::unexpected(
          ConfigError{key, "'" + level +
                               "' is not a level (none, fatal, critical, error, warning, notice, "
                               "information, debug, trace)"});
    }
  }
  return {};
}

// A file channel opens its file at the first message, where Poco's "File not found" would end
// serve after it started: check that each channel's folder exists and is writable.
std::expected<void, ConfigError> checkPaths(const Poco::Util::AbstractConfiguration& config) {
  Poco::Util::AbstractConfiguration::Keys channels;
  config.keys("logging.channels", channels);
  for (const auto& channel : channels) {
    std::string key = "logging.channels." + channel + ".path";
    if (!config.has(key)) continue;
    if (auto problem = unwritableFileProblem(config.getString(key))) {
      return std::unexpected(ConfigError{key, *problem});
    }
  }
  return {};
}

}  // namespace

std::expected<void, ConfigError> configureLogging(const Poco::Util::AbstractConfiguration& config) {
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
  if (keys.empty()) return {};
  if (auto levels = checkLevels(config); !levels) return levels;
  if (auto paths = checkPaths(config); !paths) return paths;
  // configure() takes an AutoPtr: share the reference instead of handing over ownership.
  Poco::Util::AbstractConfiguration::Ptr shared(
      const_cast<Poco::Util::AbstractConfiguration*>(&config), true);
  try {
    Poco::Util::LoggingConfigurator().configure(shared);
  } catch (const Poco::Exception& e) {
    return std::unexpected(ConfigError{"logging", e.displayText()});
  }
  return {};
}

}  // namespace wxb
