// Fuzz target: the configuration reader - a properties file as an operator writes it, layered
// and checked (loadConfig) and turned into typed settings (readSettings). Input: the file's
// bytes. Properties: a refused configuration names the key or says why, and its message never
// holds the value of a secret key (appsecrets, store password, callback token and AES keys).
#include <unistd.h>

#include <fstream>
#include <string>

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"
#include "bridge/config/settings.h"
#include "fuzz/fuzz_input.h"

namespace {

const std::string& scratchFile() {
  static const std::string path =
      "/dev/shm/wxb-fuzz-config-" + std::to_string(getpid()) + ".properties";
  return path;
}

void checkNoSecretIn(const Poco::Util::AbstractConfiguration& config, const std::string& text) {
  for (const auto& key : wxb::configKeys()) {
    if (!key.secret) continue;
    std::string value = config.getRawString(key.key, "");
    if (value.size() < 6) continue;  // short values occur in any text by chance
    FUZZ_CHECK(text.find(value) == std::string::npos, "a secret's value in an error message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(scratchFile(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto config = wxb::loadConfig(wxb::ConfigSources{scratchFile(), {}, {}});
  if (!config) {
    FUZZ_CHECK(!config.error().describe().empty(), "a refused file says why");
    return 0;
  }
  auto settings = wxb::readSettings(**config);
  if (!settings) {
    FUZZ_CHECK(!settings.error().key.empty(), "a refused value names its key");
    checkNoSecretIn(**config, settings.error().describe());
  }
  return 0;
}
