#include "support/command_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/eventually.h"

extern char** environ;

namespace wxb::test {

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    if (!extra.count(entry.substr(0, entry.find('=')))) env.push_back(entry);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

}  // namespace

CommandProcess::CommandProcess(const std::string& binary, const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& environment) {
  static int counter = 0;
  dir_ = (std::filesystem::temp_directory_path() /
          ("wxb-cmd-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
             .string();
  std::filesystem::create_directories(dir_);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir_ + "/out").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir_ + "/err").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv{const_cast<char*>(binary.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env = mergedEnvironment(environment);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
  }
}

CommandProcess::~CommandProcess() {
  if (pid_ > 0) kill9();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool CommandProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == 0) return true;
  status_ = status;
  pid_ = -1;
  return false;
}

int CommandProcess::wait(int timeoutMs) {
  if (!eventually([this] { return !running(); }, timeoutMs, 5)) {
    throw std::runtime_error("command still running after " + std::to_string(timeoutMs) +
                             " ms; stderr: " + err());
  }
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  return WIFSIGNALED(status_) ? 128 + WTERMSIG(status_) : -1;
}

int CommandProcess::kill9() {
  if (pid_ > 0) kill(pid_, SIGKILL);
  return wait();
}

void CommandProcess::signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

std::string CommandProcess::out() const { return readAll(dir_ + "/out"); }
std::string CommandProcess::err() const { return readAll(dir_ + "/err"); }

}  // namespace wxb::test
