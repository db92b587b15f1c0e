#include "bridge/app/failpoint.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

namespace wxb {

bool failpointArmed(std::string_view name) {
  const char* armed = std::getenv("WXB_FAILPOINT");
  return armed != nullptr && name == armed;
}

// exit_group itself, not _exit(): ThreadSanitizer intercepts _exit and runs its exit checks, and
// reports every thread that has finished but is not joined yet (a scheduler job's
// worker, joined at its next run) as a leak - a report about the crash's stand-in, not the code.
void failpointExit() {
  syscall(SYS_exit_group, 137);
  _exit(137);  // not reached
}

}  // namespace wxb
