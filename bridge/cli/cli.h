// The `wxbridge` command line: `wxbridge [--config FILE] [--set key=value ...] COMMAND [ARGS]`.
// runCli() parses it, loads and validates the configuration, sets up logging and runs one
// command. Exit codes: 0 success, 1 failure, 2 usage or configuration error. Called by main()
// and by tests (with their own streams).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "bridge/config/config.h"

namespace wxb {

struct CliArgs {
  ConfigSources sources;
  std::string command;
  std::vector<std::string> args;
  bool help = false;
};

// Parses the global options; the first other word is the command, the rest its arguments.
// Returns an error sentence on bad usage.
std::expected<CliArgs, std::string> parseCli(const std::vector<std::string>& argv);

int runCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err);

}  // namespace wxb
