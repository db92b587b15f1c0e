// The wxbridge binary: everything happens in runCli (bridge/cli/cli.h).
#include <csignal>
#include <iostream>

#include "bridge/cli/cli.h"

int main(int argc, char** argv) {
  // A client that hangs up mid-response must cost one failed write, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  return wxb::runCli(std::vector<std::string>(argv, argv + argc), std::cout, std::cerr);
}
