// runCommand: runs a binary to completion for a test and returns its exit code and output.
// Extra environment variables are added to the test's own. Blocks the calling thread only.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wxb::test {

struct CommandResult {
  int exitCode = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

CommandResult runCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& extraEnv = {});

// runCommand on the wxbridge binary (WXB_WXBRIDGE_BIN).
CommandResult runWxbridge(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& extraEnv = {});

// The last non-empty line of a command's stdout, as JSON (throws when there is none).
nlohmann::json lastJsonLine(const std::string& out);

}  // namespace wxb::test
