#include "support/test_config.h"

#include <fstream>
#include <sstream>

namespace wxb::test {

std::expected<Settings, ConfigError> settingsFrom(const ConfigSources& sources) {
  auto config = loadConfig(sources);
  if (!config) return std::unexpected(config.error());
  return readSettings(**config);
}

std::expected<Settings, ConfigError> settingsWith(ConfigSets sets) {
  return settingsFrom(ConfigSources{"", std::move(sets), {}});
}

std::string sourcePath(const std::string& relative) {
  return std::string(WXB_SOURCE_DIR) + "/" + relative;
}

std::string sourceFile(const std::string& relative) {
  std::ifstream in(sourcePath(relative));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace wxb::test
