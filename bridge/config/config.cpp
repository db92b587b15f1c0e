#include "bridge/config/config.h"

#include <Poco/Ascii.h>
#include <Poco/Exception.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

#include "bridge/config/config_keys.h"

extern char** environ;

namespace wxb {

namespace {

// Poco::Util::LayeredConfiguration: a lower priority number wins.
constexpr int kSetPriority = -300;
constexpr int kEnvPriority = -200;
constexpr int kFilePriority = -100;
constexpr int kDefaultPriority = 100;

bool isKnownKey(const std::string& key) {
  if (findConfigKey(key)) return true;
  for (const auto& prefix : configKeyPrefixes()) {
    if (key.rfind(prefix, 0) == 0 && key.size() > prefix.size()) return true;
  }
  return false;
}

// Every key that holds a value in a configuration layer, e.g. "store.url". A key with an empty
// part (".a", "a..b", "a.") is collected up to that part, ending in '.', and not walked further:
// its empty part names itself again, for ever (found by fuzzing: ".a = 1" overflowed the stack).
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& root,
                 std::vector<std::string>& out) {
  Poco::Util::AbstractConfiguration::Keys children;
  config.keys(root, children);
  for (const auto& child : children) {
    if (child.empty()) {
      out.push_back(root + ".");
      continue;
    }
    std::string key = root.empty() ? child : root + "." + child;
    if (config.has(key)) out.push_back(key);
    collectKeys(config, key, out);
  }
}

std::optional<ConfigError> checkKnown(const Poco::Util::AbstractConfiguration& layer,
                                      const std::string& origin) {
  std::vector<std::string> keys;
  collectKeys(layer, "", keys);
  for (const auto& key : keys) {
    if (key.ends_with('.')) return ConfigError{key, "a key with an empty part (" + origin + ")"};
    if (!isKnownKey(key)) return ConfigError{key, "unknown key (" + origin + ")"};
  }
  return std::nullopt;
}

// The --config file as Poco reads it, but a key given twice is an error naming both lines:
// Poco keeps the last value silently, and a line appended to a long file would override the
// one the operator reads (usertest4 F5). Poco's parser hands each key to setRaw() once it has
// read its line; the key's own line is the first one after the previous key's that is neither
// blank nor a comment ('#', '!'), as Poco skips them.
class PropertyFile final : public Poco::Util::PropertyFileConfiguration {
 public:
  PropertyFile(const std::string& text, const std::string& file) : text_(text), file_(file) {
    std::istringstream in(text_);
    in_ = &in;
    load(in);
    in_ = nullptr;
  }
  const std::optional<ConfigError>& repeated() const { return repeated_; }

 protected:
  void setRaw(const std::string& key, const std::string& value) override {
    if (!in_) return MapConfiguration::setRaw(key, value);
    const int line = lineOfNextKey();
    auto [first, added] = lines_.emplace(key, line);
    if (!added && !repeated_) {
      repeated_ =
          ConfigError{key, "given twice in " + file_ + " (lines " + std::to_string(first->second) +
                               " and " + std::to_string(line) + "); keep one"};
    }
    MapConfiguration::setRaw(key, value);
  }

  ~PropertyFile() override = default;

 private:
  // The line (from 1) of the key Poco has just read; moves past it.
  int lineOfNextKey() {
    const std::streamoff end = in_->tellg();
    size_t at = parsed_;
    while (at < text_.size()) {
      if (Poco::Ascii::isSpace(text_[at])) {
        ++at;
      } else if (text_[at] == '#' || text_[at] == '!') {
        at = std::min(text_.find_first_of("\r\n", at), text_.size());
      } else {
        break;
      }
    }
    parsed_ = end < 0 ? text_.size() : static_cast<size_t>(end);
    int line = 1;
    for (size_t i = 0; i < at; ++i) {
      if (text_[i] == '\n' || (text_[i] == '\r' && text_[i + 1] != '\n')) ++line;
    }
    return line;
  }

  const std::string text_;
  const std::string file_;
  std::istream* in_ = nullptr;
  size_t parsed_ = 0;  // where Poco stopped after the previous key
  std::map<std::string, int> lines_;
  std::optional<ConfigError> repeated_;
};

std::expected<Poco::AutoPtr<Poco::Util::AbstractConfiguration>, ConfigError> readFile(
    const std::string& file) {
  if (!std::filesystem::is_regular_file(file)) {
    return std::unexpected(ConfigError{"--config", "cannot read " + file});
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::unexpected(ConfigError{"--config", "cannot read " + file});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Windows Notepad starts UTF-8 files with a byte order mark, which would otherwise glue itself
  // to the first key ("\xEF\xBB\xBFstore.url: unknown key").
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  try {
    Poco::AutoPtr<PropertyFile> props(new PropertyFile(text, file));
    if (props->repeated()) return std::unexpected(*props->repeated());
    return Poco::AutoPtr<Poco::Util::AbstractConfiguration>(props);
  } catch (const Poco::Exception& e) {
    return std::unexpected(ConfigError{"--config", file + ": " + e.displayText()});
  }
}

// A WXBRIDGE_* variable that names no key (a typo such as WXBRIDGE_CALLBACK_MPTOKEN, or a key
// of an operator-named family, templates.NAME.*, which has no environment name) would be
// ignored silently, like the unknown key of a file; it is refused the same way. Only the name
// is shown: the value may be a secret.
std::optional<ConfigError> unknownVariable(const std::map<std::string, std::string>& environment,
                                           const std::set<std::string>& read) {
  for (const auto& [name, value] : environment) {
    if (read.count(name)) continue;
    return ConfigError{name,
                       "unknown environment variable (WXBRIDGE_ + a key of "
                       "docs/configuration.md upper-cased, '.' as '_'; templates.*, "
                       "notify.types.* and logging.* keys are set in the file or with --set)"};
  }
  return std::nullopt;
}

}  // namespace

std::map<std::string, std::string> wxbridgeEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (entry.rfind("WXBRIDGE_", 0) == 0 && eq != std::string::npos) {
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  return env;
}

std::expected<Poco::AutoPtr<Poco::Util::LayeredConfiguration>, ConfigError> loadConfig(
    const ConfigSources& sources) {
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> config(new Poco::Util::LayeredConfiguration);
  Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
  Poco::AutoPtr<Poco::Util::MapConfiguration> env(new Poco::Util::MapConfiguration);
  std::set<std::string> read;  // the environment names of the table's keys
  for (const auto& k : configKeys()) {
    if (*k.defaultValue) defaults->setString(k.key, k.defaultValue);
    const std::string name = *read.insert(environmentName(k.key)).first;
    auto found = sources.environment.find(name);
    if (found != sources.environment.end()) env->setString(k.key, found->second);
  }
  if (auto bad = unknownVariable(sources.environment, read)) return std::unexpected(*bad);
  config->add(defaults, kDefaultPriority);
  config->add(env, kEnvPriority);
  if (!sources.file.empty()) {
    auto file = readFile(sources.file);
    if (!file) return std::unexpected(file.error());
    if (auto bad = checkKnown(**file, sources.file)) return std::unexpected(*bad);
    config->add(*file, kFilePriority);
  }
  Poco::AutoPtr<Poco::Util::MapConfiguration> sets(new Poco::Util::MapConfiguration);
  for (const auto& [key, value] : sources.sets) {
    if (!isKnownKey(key)) return std::unexpected(ConfigError{key, "unknown key (--set)"});
    sets->setString(key, value);
  }
  config->add(sets, kSetPriority);
  return config;
}

}  // namespace wxb
