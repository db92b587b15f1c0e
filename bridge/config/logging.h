// Logging set-up: Poco channels from the `logging.*` keys of the configuration (the standard
// Poco::Util::LoggingConfigurator format), or, when there are none, one line per message on
// stderr. Each module logs through its own logger ("wxb.store", "wxb.sync", ...). Call once,
// from the wiring code, before any thread starts.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <expected>

#include "bridge/config/config.h"

namespace wxb {

// Applies the logging.* keys over the default (stderr, level information). On failure (an
// unknown level name, channel class, channel or formatter, a file channel that cannot open) it
// returns the key at fault, or "logging" with Poco's reason when Poco does not say which key;
// the caller exits 2. Logging may then be half configured.
std::expected<void, ConfigError> configureLogging(const Poco::Util::AbstractConfiguration& config);

}  // namespace wxb
