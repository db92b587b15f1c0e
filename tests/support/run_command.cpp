#include "support/run_command.h"

#include "support/command_process.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

CommandResult runCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& extraEnv) {
  CommandProcess process(binary, args, extraEnv);
  int code = process.wait();
  return CommandResult{code, process.out(), process.err()};
}

CommandResult runWxbridge(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& extraEnv) {
  return runCommand(WxbridgeServe::binary(), args, extraEnv);
}

}  // namespace wxb::test
