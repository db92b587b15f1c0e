// The wxbridge binary: everything happens in runCli (bridge/cli.h).
#include <iostream>

#include "bridge/cli.h"

int main(int argc, char** argv) {
  return wxb::runCli(std::vector<std::string>(argv, argv + argc), std::cout, std::cerr);
}
