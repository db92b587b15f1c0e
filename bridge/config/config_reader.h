// ConfigReader: typed, range-checked reads of configuration keys that remember the first
// problem, so readSettings() can read every key in a row and report one clear ConfigError.
// Defaults and ranges come from the key table (bridge/config/config_keys.h), never from the
// caller: a key read here that the table lacks is a programming error (std::logic_error).
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

  // The trimmed value; when unset, the table's default ("" for keys outside the table, such as
  // the members of templates.NAME.*). Free text: empty is a value like any other.
  std::string string(const std::string& key);
  // A string that must not be empty (an address, a URL, a zone, a CIDR list).
  std::string required(const std::string& key);
  // A required http:// or https:// URL (host, optional port and path); `example` is shown in
  // the error, e.g. "https://api.weixin.qq.com".
  std::string httpUrl(const std::string& key, const std::string& example);
  // Typed values, with the table's default and range for `key`. A key that is not set at all
  // gives the default; a key set to an empty value (`--set http.port=`) is a configuration
  // error naming the key, what to give instead and the default, never a silent fallback. A bad
  // value is an error too (the default is returned so reading goes on).
  int64_t integer(const std::string& key);
  double number(const std::string& key);
  // One of `choices` (e.g. "stable|classic").
  std::string choice(const std::string& key, const std::vector<std::string>& choices);

  // The names one level below `key` that hold values or further levels, e.g. the template
  // NAMEs of "templates" (for key families such as templates.NAME.*).
  std::vector<std::string> children(const std::string& key) const;

  // Records a problem found by the caller's own check.
  void fail(const std::string& key, const std::string& problem);
  const std::optional<ConfigError>& error() const { return error_; }

 private:
  // The trimmed value of a typed key, or nullopt when the table's default applies (the key is
  // not set, or is set but empty, which is recorded as the error). `expected` names what to
  // give, e.g. "a whole number 0-65535".
  std::optional<std::string> typedText(const std::string& key, const std::string& expected);

  const Poco::Util::AbstractConfiguration& config_;
  std::optional<ConfigError> error_;
};

}  // namespace wxb
