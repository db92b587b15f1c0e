// Logging set-up from configuration keys.
#include "bridge/config/logging.h"

#include <Poco/Logger.h>

#include <boost/test/unit_test.hpp>

#include "bridge/config/config.h"

namespace wxb {

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(levels_from_keys_reach_existing_and_new_loggers_and_config_survives) {
  Poco::Logger& early = Poco::Logger::get("wxb.test.early");
  auto config = loadConfig(ConfigSources{"",
                                         {{"logging.loggers.root.level", "warning"},
                                          {"logging.loggers.a.name", "wxb.test.quiet"},
                                          {"logging.loggers.a.level", "error"}},
                                         {}});
  BOOST_REQUIRE(config);
  BOOST_TEST(configureLogging(**config).has_value());
  BOOST_TEST(early.getLevel() == Poco::Message::PRIO_WARNING);
  BOOST_TEST(Poco::Logger::get("wxb.test.later").getLevel() == Poco::Message::PRIO_WARNING);
  BOOST_TEST(Poco::Logger::get("wxb.test.quiet").getLevel() == Poco::Message::PRIO_ERROR);
  // The configuration is still ours to read after the configurator has seen it.
  BOOST_TEST((*config)->getString("store.url") == "sqlite:var/wxbridge.db");
  auto plain = loadConfig(ConfigSources{});
  BOOST_TEST(configureLogging(**plain).has_value());
  BOOST_TEST(early.getLevel() == Poco::Message::PRIO_INFORMATION);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
