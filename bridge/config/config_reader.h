// ConfigReader: typed, range-checked reads of configuration keys that remember the first
// problem, so readSettings() can read every key in a row and report one clear ConfigError.
// Not thread-safe; lives for one readSettings() call.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bridge/config/config.h"

namespace wxb {

class ConfigReader {
 public:
  explicit ConfigReader(const Poco::Util::AbstractConfiguration& config) : config_(config) {}

  // Free text: empty is a value like any other.
  std::string string(const std::string& key, const std::string& fallback = "");
  // A string that must not be empty (an address, a URL, a zone, a CIDR list).
  std::string required(const std::string& key);
  // Typed values. A key that is not set at all gives `fallback`; a key set to an empty value
  // (`--set http.port=`) is a configuration error naming the key, what to give instead and
  // the default, never a silent fallback.
  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  double number(const std::string& key, double fallback, double min, double max);
  bool boolean(const std::string& key, bool fallback);
  // One of `choices` (e.g. "stable|classic").
  std::string choice(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& choices);

  // The names one level below `key` that hold values or further levels, e.g. the template
  // NAMEs of "templates" (for key families such as templates.NAME.*).
  std::vector<std::string> children(const std::string& key) const;

  // Records a problem found by the caller's own check.
  void fail(const std::string& key, const std::string& problem);
  const std::optional<ConfigError>& error() const { return error_; }

 private:
  // The trimmed value of a typed key, or nullopt when the fallback applies (the key is not
  // set, or is set but empty, which is recorded as the error).
  std::optional<std::string> typedText(const std::string& key, const std::string& expected,
                                       const std::string& fallback);

  const Poco::Util::AbstractConfiguration& config_;
  std::optional<ConfigError> error_;
};

}  // namespace wxb
