#include "bridge/app/failpoint.h"

#include <unistd.h>

#include <cstdlib>

namespace wxb {

bool failpointArmed(std::string_view name) {
  const char* armed = std::getenv("WXB_FAILPOINT");
  return armed != nullptr && name == armed;
}

void failpointExit() { _exit(137); }

}  // namespace wxb
