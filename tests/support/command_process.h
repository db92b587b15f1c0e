// CommandProcess: runs one short-lived command of our binaries (e.g. `wxbridge sync`) for a
// test, with stdout and stderr captured in files, extra environment variables (secrets go there,
// never on the command line), and the means to kill it hard (kill -9) or wait for it.
// One instance is driven by one test thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace wxb::test {

class CommandProcess {
 public:
  CommandProcess(const std::string& binary, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& environment = {});
  ~CommandProcess();  // SIGKILLs the command if it still runs
  CommandProcess(const CommandProcess&) = delete;
  CommandProcess& operator=(const CommandProcess&) = delete;

  // Waits for the exit; returns the exit code, or 128 + signal when killed. Throws
  // std::runtime_error after timeoutMs.
  int wait(int timeoutMs = 30000);
  // SIGKILL, then reap. Returns wait()'s value.
  int kill9();
  // Sends `signal` (e.g. SIGTERM) and returns at once.
  void signal(int signal);
  bool running();

  std::string out() const;  // everything on stdout so far
  std::string err() const;  // everything on stderr so far

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string dir_;
};

}  // namespace wxb::test
