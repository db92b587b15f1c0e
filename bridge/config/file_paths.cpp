#include "bridge/config/file_paths.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
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

}  // namespace wxb
