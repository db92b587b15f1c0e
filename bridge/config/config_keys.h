// The table of every configuration key wxbridge reads: its default, whether it is a secret, and
// a one-line description. It drives the defaults layer, the environment names, the unknown-key
// check, and the tests that keep docs/configuration.md and etc/wxbridge.properties complete.
#pragma once

#include <string>
#include <vector>

namespace wxb {

struct ConfigKey {
  const char* key;
  const char* defaultValue;  // "" means unset
  bool secret;
  const char* description;
};

const std::vector<ConfigKey>& configKeys();

// Key families whose members are named by the operator (templates.NAME.*, logging.*).
const std::vector<std::string>& configKeyPrefixes();

// WXBRIDGE_STORE_PASSWORD for store.password.
std::string environmentName(const std::string& key);

}  // namespace wxb
