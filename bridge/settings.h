// Settings: the typed, validated view of the configuration that the wiring code hands to each
// part of wxbridge. readSettings() is the only place that turns property strings into values;
// a bad value is a ConfigError naming the key (exit code 2). A plain value type.
#pragma once

#include <expected>
#include <string>

#include <Poco/Util/AbstractConfiguration.h>

#include "bridge/config.h"
#include "store/store_settings.h"

namespace wxb {

struct Settings {
  StoreSettings store;
  std::string timezone = "Asia/Shanghai";
};

std::expected<Settings, ConfigError> readSettings(const Poco::Util::AbstractConfiguration& config);

}  // namespace wxb
