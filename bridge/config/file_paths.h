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

// Why `serve --pidfile=PATH` must not start: PATH holds the pid of a running process with this
// process's name (/proc/PID/comm), i.e. another wxbridge serve - a second one would overwrite
// the file, fail to bind the port after detaching (exit 0, the error unseen), and delete the
// file on exit, so that the running instance could no longer be stopped by it. nullopt when the
// file is missing or unreadable, holds no pid, or a pid that is gone or another program's (a
// stale file is overwritten as before). Linux only (/proc).
std::optional<std::string> runningPidfileProblem(const std::string& path);

}  // namespace wxb
