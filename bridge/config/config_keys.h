// The table of every configuration key wxbridge reads: its default, its range (numeric keys),
// whether it is a secret, and a one-line description. It is the single source of defaults and
// ranges: it drives the defaults layer, the environment names, the unknown-key check, the
// ConfigReader's range checks, and the tests that keep docs/configuration.md,
// etc/wxbridge.properties and the settings structs' initialisers in step. Read-only after
// start-up: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wxb {

// The inclusive range of a numeric key's value, in the key's own unit (e.g. ms for *_ms).
struct ConfigRange {
  int64_t min = 0;
  int64_t max = 0;
};

struct ConfigKey {
  const char* key;
  const char* defaultValue;  // "" means unset
  bool secret;
  const char* description;
  std::optional<ConfigRange> range = std::nullopt;  // set for integer and number keys
};

const std::vector<ConfigKey>& configKeys();

// The entry of `key`, or nullptr for a key outside the table (e.g. a templates.NAME.* member).
const ConfigKey* findConfigKey(std::string_view key);

// Key families whose members are named by the operator (templates.NAME.*, logging.*).
const std::vector<std::string>& configKeyPrefixes();

// WXBRIDGE_STORE_PASSWORD for store.password.
std::string environmentName(const std::string& key);

}  // namespace wxb
