#include "bridge/config/file_paths.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wxb {

std::optional<std::string> unwritableFileProblem(const std::string& path) {
  if (path.empty()) return "needs a file name";
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (::access(folder.c_str(), W_OK | X_OK) == 0) return std::nullopt;
  std::ostringstream why;
  why << "cannot write in " << folder.string() << ": " << std::strerror(errno);
  return why.str();
}

namespace {

std::string firstLine(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::optional<std::string> runningPidfileProblem(const std::string& path) {
  const std::string text = firstLine(path);
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  const std::string pid = std::to_string(std::stoll(text));
  const std::string comm = firstLine("/proc/" + pid + "/comm");
  if (comm.empty() || comm != firstLine("/proc/self/comm")) return std::nullopt;
  return path + " names the running process " + pid + " (" + comm +
         "): stop it first, or remove the file if it is not a wxbridge serve";
}

}  // namespace wxb
