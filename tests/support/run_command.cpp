#include "support/run_command.h"

#include <stdexcept>

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

nlohmann::json lastJsonLine(const std::string& out) {
  size_t end = out.find_last_not_of('\n');
  if (end == std::string::npos) throw std::runtime_error("no output");
  size_t start = out.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return nlohmann::json::parse(out.substr(start, end - start + 1));
}

}  // namespace wxb::test
