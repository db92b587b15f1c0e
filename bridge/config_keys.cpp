#include "bridge/config_keys.h"

#include <cctype>

namespace wxb {

const std::vector<ConfigKey>& configKeys() {
  static const std::vector<ConfigKey> keys = {
      {"store.url", "sqlite:var/wxbridge.db", false,
       "sqlite:PATH (one instance) or mysql://USER@HOST:PORT/DB (shared by instances)"},
      {"store.password", "", true, "MySQL password; prefer WXBRIDGE_STORE_PASSWORD"},
      {"store.pool_size", "8", false, "MySQL connections per process (1-256)"},
      {"store.connect_timeout_ms", "3000", false, "MySQL connect timeout (100-60000)"},
      {"store.read_timeout_ms", "30000", false, "MySQL read/write timeout (1000-600000)"},
      {"timezone", "Asia/Shanghai", false,
       "IANA zone for schedules and the platform's quota day"},
  };
  return keys;
}

const std::vector<std::string>& configKeyPrefixes() {
  static const std::vector<std::string> prefixes = {"logging."};
  return prefixes;
}

std::string environmentName(const std::string& key) {
  std::string name = "WXBRIDGE_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper((unsigned char)c));
  return name;
}

}  // namespace wxb
