// The commands of the `wxbridge` binary. Each takes the validated settings and its own
// arguments and returns the process exit code (0 success, 1 failure, 2 usage). Results go to
// `out` (JSON lines for machines); progress and errors go to `err`. `--help` (or `-h`) among a
// command's arguments never reaches it: runCli prints the command's usage and details instead.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/config/settings.h"
#include "cron/clock.h"

namespace wxb {

struct CommandContext {
  const Settings& settings;
  const Poco::Util::AbstractConfiguration& config;
  const Clock& clock;
  std::ostream& out;
  std::ostream& err;
};

using CommandArgs = std::vector<std::string>;

struct CommandInfo {
  const char* name;
  const char* usage;
  const char* summary;
  int (*run)(const CommandContext&, const CommandArgs&);
  std::string_view details;  // `wxbridge COMMAND --help`: arguments, output and exit codes
};

// Every command, in the order `--help` lists them.
const std::vector<CommandInfo>& commands();

int runMigrateCommand(const CommandContext& ctx, const CommandArgs& args);
int runLookupCommand(const CommandContext& ctx, const CommandArgs& args);
int runTokenCommand(const CommandContext& ctx, const CommandArgs& args);
int runServeCommand(const CommandContext& ctx, const CommandArgs& args);
int runDigestCommand(const CommandContext& ctx, const CommandArgs& args);
int runNoticeCommand(const CommandContext& ctx, const CommandArgs& args);

// Inside a catch block: reports the exception being handled for `command` on `err` and
// returns the exit code: 2 for a StoreConfigError ("configuration error: store.url: ..."), 1 for
// anything else (a store outage says "store unavailable").
int reportFailure(std::string_view command, std::ostream& err);

// The first 12 hex digits of a token's SHA-256: tells tokens apart without revealing them.
std::string tokenFingerprint(const std::string& token);

}  // namespace wxb
