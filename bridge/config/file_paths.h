// Checks on files that wxbridge writes outside the store (the pid file, log files), made before
// start-up so that a bad path is a configuration error naming its key or option (exit 2)
// rather than a Poco exception after serve has begun. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace wxb {

// Why a file cannot be created or written at `path` (its folder is missing or not writable, or
// the path is empty), or nullopt when it can. Creates nothing.
std::optional<std::string> unwritableFileProblem(const std::string& path);

}  // namespace wxb
