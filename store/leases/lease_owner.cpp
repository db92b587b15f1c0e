#include "store/leases/lease_owner.h"

#include <Poco/Environment.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

namespace wxb {

namespace {

// Boot id and PID namespace: two processes with the same tag can see each other's PIDs.
std::string hostTag() {
  static const std::string tag = [] {
    std::string boot;
    std::ifstream("/proc/sys/kernel/random/boot_id") >> boot;
    char ns[64] = {};
    ssize_t n = readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    if (boot.size() < 8 || n <= 0) return "unknown" + std::to_string(std::random_device{}());
    std::string digits;
    for (char c : std::string(ns, static_cast<size_t>(n))) {
      if (c >= '0' && c <= '9') digits += c;
    }
    return boot.substr(0, 8) + "-" + digits;
  }();
  return tag;
}

std::vector<std::string> splitColons(const std::string& owner) {
  std::vector<std::string> parts;
  for (size_t from = 0;;) {
    const size_t colon = owner.find(':', from);
    parts.push_back(owner.substr(from, colon - from));
    if (colon == std::string::npos) return parts;
    from = colon + 1;
  }
}

}  // namespace

std::string newLeaseOwner() {
  thread_local std::mt19937 random{std::random_device{}()};
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
  return Poco::Environment::nodeName() + ":" + std::to_string(getpid()) + ":" + hostTag() + ":" +
         suffix;
}

bool isDeadLocalOwner(const std::string& owner) {
  const std::vector<std::string> parts = splitColons(owner);
  if (parts.size() != 4 || parts[0] != Poco::Environment::nodeName() || parts[2] != hostTag()) {
    return false;
  }
  const std::string& pidText = parts[1];
  if (pidText.empty() || pidText.size() > 9 ||
      pidText.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const long pid = std::stol(pidText);
  if (pid <= 0 || pid == getpid()) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace wxb
