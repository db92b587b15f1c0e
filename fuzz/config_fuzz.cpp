// Fuzz target: the configuration reader - a properties file as an operator writes it, layered
// and checked (loadConfig) and turned into typed settings (readSettings). Input: the file's
// bytes. Properties: a refused configuration names the key or says why, and its message never
// holds the value of a secret key (appsecrets, store password, callback token and AES keys).
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"
#include "bridge/config/settings.h"
#include "fuzz/fuzz_input.h"

namespace {

// The file loadConfig reads: an anonymous in-memory file (memfd), named by its /proc/self/fd
// path, rewritten in place for each input. An ofstream opened and closed per input cost about
// 5% of an execution, and the named /dev/shm files of killed fuzzer processes were left behind.
class ScratchFile {
 public:
  ScratchFile() : fd_(::memfd_create("wxb-fuzz-config", MFD_CLOEXEC)) {
    FUZZ_CHECK(fd_ >= 0, "the scratch file opens");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~ScratchFile() { ::close(fd_); }
  const std::string& write(const uint8_t* data, size_t size) {
    FUZZ_CHECK(::ftruncate(fd_, 0) == 0, "the scratch file is emptied");
    FUZZ_CHECK(::pwrite(fd_, data, size, 0) == static_cast<ssize_t>(size), "the input is written");
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

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
  static ScratchFile scratch;
  auto config = wxb::loadConfig(wxb::ConfigSources{scratch.write(data, size), {}, {}});
  if (!config) {
    FUZZ_CHECK(!config.error().describe().empty(), "a refused file says why");
    FUZZ_CHECK(!config.error().problem.starts_with("cannot read"), "the scratch file is read");
    return 0;
  }
  auto settings = wxb::readSettings(**config);
  if (!settings) {
    FUZZ_CHECK(!settings.error().key.empty(), "a refused value names its key");
    checkNoSecretIn(**config, settings.error().describe());
  }
  return 0;
}
