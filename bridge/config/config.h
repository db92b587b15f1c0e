// Configuration: the layered properties wxbridge reads once at start. Layers, strongest first:
// `--set key=value`, WXBRIDGE_* environment variables (WXBRIDGE_ + the key upper-cased with
// '.' as '_', e.g. WXBRIDGE_STORE_PASSWORD), the --config properties file, the defaults of the
// key table (bridge/config/config_keys.h). Only the wiring code reads it; everything else takes the
// typed settings of bridge/config/settings.h. Not thread-safe while loading; read-only afterwards.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>

#include <expected>
#include <map>
#include <string>
#include <vector>

namespace wxb {

// A configuration problem: exit code 2, and a message naming the key.
struct ConfigError {
  std::string key;
  std::string problem;
  std::string describe() const { return key.empty() ? problem : key + ": " + problem; }
};

struct ConfigSources {
  std::string file;                                       // "" for none
  std::vector<std::pair<std::string, std::string>> sets;  // --set, in order
  std::map<std::string, std::string> environment;         // WXBRIDGE_* variables
};

// The environment's WXBRIDGE_* variables.
std::map<std::string, std::string> wxbridgeEnvironment();

// Loads and layers the sources and rejects keys that no part of wxbridge reads.
std::expected<Poco::AutoPtr<Poco::Util::LayeredConfiguration>, ConfigError> loadConfig(
    const ConfigSources& sources);

}  // namespace wxb
