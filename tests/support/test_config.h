// Configuration for tests: the settings wxbridge reads from given sources (layered and
// validated exactly as at start-up), and the text of a file in the source tree, for the tests
// that keep docs and sample files in step with the code. Thread-safe (no shared state).
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "bridge/config/config.h"
#include "bridge/config/settings.h"

namespace wxb::test {

using ConfigSets = std::vector<std::pair<std::string, std::string>>;  // --set key=value, in order

// loadConfig() then readSettings(): the first ConfigError of either.
std::expected<Settings, ConfigError> settingsFrom(const ConfigSources& sources);
// settingsFrom() with only `sets` on top of the defaults.
std::expected<Settings, ConfigError> settingsWith(ConfigSets sets);

// The path of `relative` (e.g. "etc/wxbridge.properties") in the source tree.
std::string sourcePath(const std::string& relative);
// The contents of that file; "" when it cannot be read.
std::string sourceFile(const std::string& relative);

}  // namespace wxb::test
