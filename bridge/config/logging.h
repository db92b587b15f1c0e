// Logging set-up: Poco channels from the `logging.*` keys of the configuration (the standard
// Poco::Util::LoggingConfigurator format), or, when there are none, one line per message on
// stderr. Each module logs through its own logger ("wxb.store", "wxb.sync", ...). Call once,
// from the wiring code, before any thread starts.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

namespace wxb {

void configureLogging(const Poco::Util::AbstractConfiguration& config);

}  // namespace wxb
