#include "bridge/config/config_reader.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <charconv>
#include <iomanip>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "bridge/config/config_keys.h"

namespace wxb {

namespace {

const ConfigKey& tableKey(const std::string& key) {
  const ConfigKey* entry = findConfigKey(key);
  if (!entry) throw std::logic_error("configuration key " + key + " is not in the key table");
  return *entry;
}

// The table's range of a numeric key.
const ConfigRange& tableRange(const ConfigKey& entry) {
  if (!entry.range) throw std::logic_error(std::string("key ") + entry.key + " has no range");
  return *entry.range;
}

// 100000 -> "100000", 0.5 -> "0.5": numbers as an operator writes them.
std::string plainNumber(double value) {
  std::ostringstream out;
  out << std::setprecision(15) << value;
  return out.str();
}

}  // namespace

std::string ConfigReader::string(const std::string& key) {
  const ConfigKey* entry = findConfigKey(key);
  return Poco::trim(config_.getString(key, entry ? entry->defaultValue : ""));
}

std::string ConfigReader::required(const std::string& key) {
  std::string value = string(key);
  if (value.empty()) fail(key, config_.has(key) ? "is empty; it must be set" : "must be set");
  return value;
}

std::string ConfigReader::httpUrl(const std::string& key, const std::string& example) {
  static const std::regex kUrl(R"(^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[^\s]*)?$)");
  std::string value = required(key);
  if (!value.empty() && !std::regex_match(value, kUrl)) {
    fail(key, "must be an http:// or https:// URL, e.g. " + example);
  }
  return value;
}

std::optional<std::string> ConfigReader::typedText(const std::string& key,
                                                   const std::string& expected) {
  if (!config_.has(key)) return std::nullopt;
  std::string text = string(key);
  if (!text.empty()) return text;
  fail(key, "is empty; give " + expected + ", or leave the key out for the default (" +
                tableKey(key).defaultValue + ")");
  return std::nullopt;
}

int64_t ConfigReader::integer(const std::string& key) {
  const ConfigKey& entry = tableKey(key);
  const ConfigRange& range = tableRange(entry);
  const int64_t fallback = std::stoll(entry.defaultValue);
  const std::string rangeText = std::to_string(range.min) + "-" + std::to_string(range.max);
  auto text = typedText(key, "a whole number " + rangeText);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    fail(key, "'" + *text + "' is not a whole number");
    return fallback;
  }
  if (value < range.min || value > range.max) {
    fail(key, std::to_string(value) + " is out of range " + rangeText);
    return fallback;
  }
  return value;
}

double ConfigReader::number(const std::string& key) {
  const ConfigKey& entry = tableKey(key);
  const ConfigRange& range = tableRange(entry);
  const double fallback = std::stod(entry.defaultValue);
  const auto min = static_cast<double>(range.min), max = static_cast<double>(range.max);
  const std::string rangeText = plainNumber(min) + "-" + plainNumber(max);
  auto text = typedText(key, "a number " + rangeText);
  if (!text) return fallback;
  double value = 0;
  if (!Poco::NumberParser::tryParseFloat(*text, value) || value < min || value > max) {
    fail(key, "'" + *text + "' is not a number in range " + rangeText);
    return fallback;
  }
  return value;
}

std::string ConfigReader::choice(const std::string& key, const std::vector<std::string>& choices) {
  const std::string& fallback = tableKey(key).defaultValue;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  auto value = typedText(key, "one of " + list);
  if (!value) return fallback;
  for (const auto& c : choices) {
    if (*value == c) return *value;
  }
  fail(key, "'" + *value + "' is not one of " + list);
  return fallback;
}

std::vector<std::string> ConfigReader::children(const std::string& key) const {
  Poco::Util::AbstractConfiguration::Keys names;
  config_.keys(key, names);
  return names;
}

void ConfigReader::fail(const std::string& key, const std::string& problem) {
  if (!error_) error_ = ConfigError{key, problem};
}

}  // namespace wxb
