// Logging set-up from configuration keys.
#include "bridge/config/logging.h"

#include <Poco/Logger.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "bridge/config/config.h"
#include "support/test_config.h"

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

// Every logger the code uses: the names passed to Poco::Logger::get in the source tree.
std::set<std::string> loggerNamesInSource() {
  const std::regex get(R"re(Logger::get\("([^"]+)"\))re");
  std::set<std::string> names;
  for (const char* folder : {"bridge", "wechat", "store", "notify", "sync", "cron"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(test::sourcePath(folder))) {
      const std::string relative =
          std::filesystem::relative(entry.path(), test::sourcePath("")).string();
      const std::string text = test::sourceFile(relative);
      for (std::sregex_iterator m(text.begin(), text.end(), get), end; m != end; ++m) {
        names.insert((*m)[1]);
      }
    }
  }
  return names;
}

// An operator quiets or raises a module by its documented name (`wxb.callback`), and every
// module by `wxb`: a logger outside that tree, or a module the docs do not name, escapes both.
BOOST_AUTO_TEST_CASE(every_logger_is_under_wxb_and_its_module_is_documented) {
  const std::string docs = test::sourceFile("docs/configuration.md");
  const std::string listed = docs.substr(docs.find("Module loggers:"), 400);
  const auto names = loggerNamesInSource();
  BOOST_TEST(names.size() > 5u);
  for (const std::string& name : names) {
    BOOST_TEST_INFO(name);
    BOOST_TEST(name.starts_with("wxb."));
    const std::string module = name.substr(0, name.find('.', 4));
    BOOST_TEST(listed.find("`" + module + "`") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
